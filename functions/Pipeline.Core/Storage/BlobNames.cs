namespace Pipeline.Core.Storage;

/// <summary>Where each artefact is stored (design: Storage layout). Both adapter sets and both hosts use these names.</summary>
public static class BlobNames
{
    /// <summary>
    /// True for ids safe to put in a blob name: 1–64 ASCII letters, digits, '-', '_' or '.', not starting with '.'.
    /// </summary>
    public static bool IsSafeId(string? id) =>
        id is { Length: > 0 and <= 64 } && !id.StartsWith('.') && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');

    /// <summary><c>credentials/{id}.{jwt|json|png|svg}</c>: the VC-JWT, its credential JSON, the baked images.</summary>
    public static string CredentialFile(string credentialId, string extension) => $"{credentialId}.{extension}";

    /// <summary><c>public/status/{issuer}/{list}.jwt</c>: the signed Bitstring Status List credential.</summary>
    public static string StatusList(string issuerId, string listId) => $"status/{issuerId}/{listId}.jwt";

    /// <summary><c>public/ob2/assertions/{id}.json</c>: the OB 2.0 hosted assertion.</summary>
    public static string Ob2Assertion(string credentialId) => $"ob2/assertions/{credentialId}.json";

    /// <summary><c>public/ob2/assertions/{id}.png</c>: the badge art baked with the OB 2.0 assertion (an <c>openbadges</c> iTXt chunk), the assertion's <c>image</c>.</summary>
    public static string Ob2AssertionImage(string credentialId) => $"ob2/assertions/{credentialId}.png";

    /// <summary><c>sis-reports/{file}.report.json</c> and <c>.rejected.csv</c> for an SIS drop.</summary>
    public static string SisReport(string blobName) => blobName + ".report.json";

    public static string SisRejectedRows(string blobName) => blobName + ".rejected.csv";

    public static class ContentTypes
    {
        public const string Jwt = "text/plain; charset=utf-8";
        public const string VcJson = "application/vc+ld+json";
        public const string LdJson = "application/ld+json";
        public const string Json = "application/json";
        public const string Png = "image/png";
        public const string Svg = "image/svg+xml";
    }
}
