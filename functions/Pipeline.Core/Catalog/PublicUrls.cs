namespace Pipeline.Core.Catalog;

/// <summary>
/// The public URL contract of the design (shared/design.md, Public URLs). These URLs are signed into
/// credentials and must live for decades: change nothing here without a migration plan.
/// </summary>
public sealed class PublicUrls
{
    private readonly string _base;

    public PublicUrls(Uri publicBaseUrl)
    {
        ArgumentNullException.ThrowIfNull(publicBaseUrl);
        var text = publicBaseUrl.AbsoluteUri;
        _base = text.EndsWith('/') ? text : text + "/";
    }

    public Uri Base => new(_base);
    public Uri Issuer(string issuerId) => Make($"issuers/{Escape(issuerId)}");
    public Uri IssuerDidDocument(string issuerId) => Make($"issuers/{Escape(issuerId)}/did.json");
    public Uri IssuerJwks(string issuerId) => Make($"issuers/{Escape(issuerId)}/jwks.json");
    public Uri Jwks => Make(".well-known/jwks.json");
    public Uri Achievement(string achievementId) => Make($"achievements/{Escape(achievementId)}");
    /// <summary>The achievement's unbaked source art: <c>/achievements/{id}.png</c> or <c>.svg</c>.</summary>
    public Uri AchievementImage(string achievementId, string extension) => Make($"achievements/{Escape(achievementId)}.{extension}");
    /// <summary>The issuer's logo, served under its own extension: <c>/issuers/{id}.png</c> or <c>.svg</c>.</summary>
    public Uri IssuerImage(string issuerId, string extension) => Make($"issuers/{Escape(issuerId)}.{extension}");
    public Uri Credential(string credentialId) => Make($"credentials/{Escape(credentialId)}");
    public Uri CredentialFile(string credentialId, string extension) => Make($"credentials/{Escape(credentialId)}.{extension}");
    public Uri StatusList(string issuerId, string listId) => Make($"status/{Escape(issuerId)}/{Escape(listId)}");
    public Uri Claim(string token) => Make($"claim/{Escape(token)}");
    public Uri Ob2Assertion(string credentialId) => Make($"ob2/assertions/{Escape(credentialId)}");
    /// <summary>The PNG baked with the OB 2.0 assertion (the assertion's <c>image</c>): <c>/ob2/assertions/{id}.png</c>.</summary>
    public Uri Ob2AssertionImage(string credentialId) => Make($"ob2/assertions/{Escape(credentialId)}.png");
    public Uri Ob2BadgeClass(string achievementId) => Make($"ob2/badges/{Escape(achievementId)}");
    public Uri Ob2Issuer(string issuerId) => Make($"ob2/issuers/{Escape(issuerId)}");

    /// <summary>The issuer's <c>did:web</c> identifier: <c>did:web:{host}:issuers:{issuer}</c> (port percent-encoded).</summary>
    public string IssuerDid(string issuerId)
    {
        var uri = Base;
        var host = uri.IsDefaultPort ? uri.Host : $"{uri.Host}%3A{uri.Port}";
        var path = uri.AbsolutePath.Trim('/');
        var prefix = path.Length == 0 ? host : host + ":" + path.Replace('/', ':');
        return $"did:web:{prefix}:issuers:{issuerId}";
    }

    private Uri Make(string relative) => new(_base + relative);

    private static string Escape(string segment) => Uri.EscapeDataString(segment);
}
