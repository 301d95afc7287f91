namespace Pipeline.Core.Stages.Webhooks;

/// <summary>
/// A partner's active webhook signing secrets: at most two, the newest first, so a partner can move to a new secret
/// while the old one still verifies. Secrets never live in the catalog: the embedded host keeps them in
/// <c>DATA/keys/partners/{partner}.json</c> (owner-only), Azure in configuration / Key Vault.
/// </summary>
public interface IPartnerSecrets
{
    /// <summary>The active secrets of a partner; empty when it has none (or is unknown).</summary>
    Task<IReadOnlyList<PartnerSecret>> GetActiveAsync(string partnerId, CancellationToken cancellationToken);
}

/// <summary>One signing secret: the text the partner was given (its UTF-8 bytes are the HMAC key) and when it was made.</summary>
public sealed record PartnerSecret(string Value, DateTimeOffset CreatedAt)
{
    /// <summary>Never prints the secret.</summary>
    public override string ToString() => $"PartnerSecret(created {CreatedAt:O})";
}
