namespace Pipeline.Core.Stages.Revoke;

/// <summary>What a revocation request came to. Every case is an expected outcome; faults are exceptions.</summary>
public abstract record RevocationOutcome
{
    private RevocationOutcome()
    {
    }

    /// <summary>A sentence for a person (an admin, a CSV report).</summary>
    public abstract string Message { get; }

    /// <summary>The credential is now revoked; its status list shows it after the publisher's next run.</summary>
    public sealed record Revoked(string CredentialId, DateTimeOffset At) : RevocationOutcome
    {
        public override string Message => $"Credential {CredentialId} is revoked; verifiers see it once its status list is next published.";
    }

    /// <summary>The credential was revoked before (nothing was done again): when and why.</summary>
    public sealed record AlreadyRevoked(string CredentialId, DateTimeOffset? At, string? Reason) : RevocationOutcome
    {
        public override string Message => $"Credential {CredentialId} was already revoked ({Reason}); nothing changed.";
    }

    /// <summary>No credential with that id is in the ledger.</summary>
    public sealed record NotFound(string CredentialId) : RevocationOutcome
    {
        public override string Message => $"No credential {CredentialId} exists.";
    }

    /// <summary>The credential is claimed but not yet issued (its files are not written); revoke it once it is issued.</summary>
    public sealed record NotIssued(string CredentialId) : RevocationOutcome
    {
        public override string Message => $"Credential {CredentialId} is not issued yet; try again once it is.";
    }

    /// <summary>The request itself is invalid: which field, and what was expected versus found.</summary>
    public sealed record Rejected(string Field, string Problem) : RevocationOutcome
    {
        public override string Message => $"{Field}: {Problem}";
    }
}
