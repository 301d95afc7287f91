using System.Buffers.Text;
using System.Text.Json;

namespace Pipeline.Core.Baking;

/// <summary>Recognises what a baked text is (JSON, compact JWS, URL) and checks payloads before they are baked.</summary>
internal static class BakedPayload
{
    public static BakingResult<BakedCredential> Classify(string text, bool ob3, string where)
    {
        var trimmed = text.Trim();
        if (trimmed.Length == 0)
        {
            return BakingResult<BakedCredential>.Failure(BakingErrorCode.EmptyCredential, $"{where}: the baked text is empty.");
        }
        if (trimmed[0] == '{')
        {
            var problem = JsonProblem(trimmed);
            return problem is null
                ? BakingResult<BakedCredential>.Success(new(ob3 ? BakedCredentialFormat.Ob3Json : BakedCredentialFormat.Ob2Json, trimmed))
                : BakingResult<BakedCredential>.Failure(BakingErrorCode.InvalidJson, $"{where}: the baked JSON does not parse: {problem}");
        }
        if (IsCompactJws(trimmed))
        {
            return BakingResult<BakedCredential>.Success(new(ob3 ? BakedCredentialFormat.Ob3Jwt : BakedCredentialFormat.Ob2Jws, trimmed));
        }
        if (!ob3 && IsHttpUrl(trimmed))
        {
            return BakingResult<BakedCredential>.Success(new(BakedCredentialFormat.Ob2Url, trimmed));
        }
        var expected = ob3 ? "a credential JSON object or a compact JWS" : "an assertion JSON object, a compact JWS or an http(s) URL";
        return BakingResult<BakedCredential>.Failure(
            BakingErrorCode.UnrecognizedPayload,
            $"{where}: expected {expected}, found text starting \"{Preview(trimmed)}\".");
    }

    /// <summary>Checks a payload we are about to bake; a bad one is a fault of the caller, not of the image.</summary>
    public static void EnsureBakeable(BakedCredential credential, UnbakingLimits limits)
    {
        ArgumentNullException.ThrowIfNull(credential);
        var text = credential.Payload;
        if (string.IsNullOrWhiteSpace(text) || text.Trim().Length != text.Length)
        {
            throw new ArgumentException("The payload must be non-empty and carry no surrounding whitespace.", nameof(credential));
        }
        if (System.Text.Encoding.UTF8.GetByteCount(text) > limits.MaxTextBytes)
        {
            throw new ArgumentException($"The payload exceeds {limits.MaxTextBytes} bytes.", nameof(credential));
        }
        var valid = credential.Format switch
        {
            BakedCredentialFormat.Ob3Jwt or BakedCredentialFormat.Ob2Jws => IsCompactJws(text),
            BakedCredentialFormat.Ob3Json or BakedCredentialFormat.Ob2Json => text[0] == '{' && JsonProblem(text) is null,
            BakedCredentialFormat.Ob2Url => IsHttpUrl(text),
            _ => false,
        };
        if (!valid)
        {
            throw new ArgumentException($"The payload is not valid for format {credential.Format}.", nameof(credential));
        }
    }

    public static bool IsCompactJws(string text)
    {
        var parts = text.Split('.');
        return parts.Length == 3 && parts.All(part => part.Length > 0 && Base64Url.IsValid(part.AsSpan()) && !part.Contains('=', StringComparison.Ordinal));
    }

    public static string Preview(string text) => text.Length <= 40 ? text : string.Concat(text.AsSpan(0, 40), "…");

    private static bool IsHttpUrl(string text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp);

    private static string? JsonProblem(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 64 });
            return document.RootElement.ValueKind == JsonValueKind.Object
                ? null
                : $"expected a JSON object, found {document.RootElement.ValueKind}.";
        }
        catch (JsonException exception)
        {
            return $"it is malformed or nests too deeply{Json.JsonErrorPosition.Describe(exception)}.";
        }
    }
}
