using System.Buffers.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using Pipeline.Core.Baking;
using Pipeline.Core.Http;
using Pipeline.Core.Json;

namespace Pipeline.Core.Http.Verify;

/// <summary>What was submitted for verification: the credential text, whether it is an OB 2.0 assertion, and the recipient email to compare (optional).</summary>
public sealed record VerificationInput(string Credential, bool IsOb2, string? Recipient);

/// <summary>
/// Reads what <c>POST /api/verify</c> (and the page's upload form) accepts: a <c>multipart/form-data</c> upload (field
/// <c>file</c>: a baked PNG or SVG; or field <c>credential</c>: pasted text; optional field <c>recipient</c>), or a body
/// of type <c>image/png</c>, <c>image/svg+xml</c>, <c>application/jwt</c>, <c>text/plain</c> (a compact JWS or JSON),
/// <c>application/json</c>, <c>application/ld+json</c> or <c>application/vc+ld+json</c> (recipient from the
/// <c>recipient</c> query parameter). At most <see cref="MaxBytes"/> are read (counted, so chunked bodies too), through
/// <see cref="RequestBody"/>; JSON (pasted, sent, or baked in an image) must be one object naming each member once.
/// </summary>
public static class VerificationInputReader
{
    public const int MaxBytes = 5 * 1024 * 1024;

    private static readonly string[] TextTypes = ["application/jwt", "text/plain", MediaTypes.Json, MediaTypes.LdJson, MediaTypes.VcLdJson];

    public static async Task<(VerificationInput? Input, InputProblem? Problem)> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.HasFormContentType)
        {
            return await ReadFormAsync(request, cancellationToken);
        }
        var mediaType = MediaTypeHeaderValue.TryParse(request.ContentType, out var parsed) ? parsed.MediaType.Value?.ToLowerInvariant() : null;
        if (mediaType is not null && mediaType is not (MediaTypes.Png or MediaTypes.Svg) && !TextTypes.Contains(mediaType))
        {
            return (null, new InputProblem(ProblemTypes.UnsupportedMediaType,
                $"Content-Type {mediaType} is not accepted; send multipart/form-data, image/png, image/svg+xml, application/jwt, text/plain or application/json."));
        }
        var (body, problem) = await RequestBody.ReadAsync(request, MaxBytes, TooLargeDetail, cancellationToken);
        if (body is null)
        {
            return (null, problem);
        }
        var recipient = Recipient(request.Query["recipient"]);
        return mediaType is MediaTypes.Png or MediaTypes.Svg ? FromImage(body, recipient) : FromBytes(body, recipient);
    }

    /// <summary>Reads a body sent as text: it must be UTF-8, then <see cref="FromText"/>.</summary>
    public static (VerificationInput? Input, InputProblem? Problem) FromBytes(byte[] body, string? recipient)
    {
        var (text, problem) = RequestBody.Utf8(body, ProblemTypes.MalformedJson, "The request body");
        return text is null ? (null, problem) : FromText(text, recipient, "The request body");
    }

    /// <summary>Reads a baked image: the credential inside, or why there is none.</summary>
    public static (VerificationInput? Input, InputProblem? Problem) FromImage(byte[] image, string? recipient)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (image.Length == 0)
        {
            return (null, new InputProblem(ProblemTypes.MissingInput, "The uploaded file is empty."));
        }
        var unbaked = Bakery.Unbake(image, new UnbakingLimits { MaxImageBytes = MaxBytes });
        if (!unbaked.Succeeded)
        {
            var type = unbaked.Error.Code switch
            {
                BakingErrorCode.NotPng or BakingErrorCode.UnsupportedImageType => ProblemTypes.NotPng,
                BakingErrorCode.ImageTooLarge or BakingErrorCode.PayloadTooLarge => ProblemTypes.PayloadTooLarge,
                BakingErrorCode.NoCredential or BakingErrorCode.EmptyCredential => ProblemTypes.NoCredential,
                BakingErrorCode.InvalidJson => ProblemTypes.MalformedJson,
                BakingErrorCode.UnrecognizedPayload => ProblemTypes.NoCredential,
                _ => ProblemTypes.CorruptImage,
            };
            return (null, new InputProblem(type, $"The uploaded image cannot be read ({unbaked.Error.Code}): {unbaked.Error.Message}"));
        }
        var baked = unbaked.Value;
        if (baked.IsOb3)
        {
            return FromText(baked.Payload, recipient, "The credential baked in the image");
        }
        if (baked.Payload.TrimStart().StartsWith('{') && StrictJson.ParseObject(baked.Payload).Error is { } error)
        {
            return (null, new InputProblem(ProblemTypes.MalformedJson, $"The assertion baked in the image {error}."));
        }
        return (new VerificationInput(baked.Payload, IsOb2: true, recipient), null);
    }

    /// <summary>Reads pasted text: a JSON object (an OB 3.0 credential or an OB 2.0 assertion) or a compact JWS.</summary>
    public static (VerificationInput? Input, InputProblem? Problem) FromText(string text, string? recipient, string what)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.Trim().TrimStart('\uFEFF');
        if (trimmed.Length == 0)
        {
            return (null, new InputProblem(ProblemTypes.MissingInput, $"{what} is empty: send a baked PNG or SVG, a JWT or a JSON credential."));
        }
        if (trimmed[0] is '{' or '[')
        {
            var (json, error) = StrictJson.ParseObject(trimmed);
            return json is null
                ? (null, new InputProblem(ProblemTypes.MalformedJson, $"{what} {error}."))
                : (new VerificationInput(trimmed, IsOb2Assertion(json), recipient), null);
        }
        var parts = trimmed.Split('.');
        if (parts.Length != 3)
        {
            return (null, new InputProblem(ProblemTypes.MalformedJwt, $"{what} is neither JSON nor a compact JWS: expected 3 dot-separated parts, found {parts.Length}."));
        }
        for (var i = 0; i < 2; i++)
        {
            if (!IsJsonObjectPart(parts[i]))
            {
                return (null, new InputProblem(ProblemTypes.MalformedJwt, $"{what} is not a compact JWS: its {(i == 0 ? "header" : "payload")} (part {i + 1}) is not base64url-encoded JSON object."));
            }
        }
        if (parts[2].Length > 0 && !Base64Url.IsValid(parts[2]))
        {
            return (null, new InputProblem(ProblemTypes.MalformedJwt, $"{what} is not a compact JWS: its signature (part 3) is not base64url."));
        }
        return (new VerificationInput(trimmed, IsOb2: false, recipient), null);
    }

    private static async Task<(VerificationInput? Input, InputProblem? Problem)> ReadFormAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var (form, problem) = await RequestBody.ReadFormAsync(request, MaxBytes, new FormLimits(), TooLargeDetail, cancellationToken);
        if (form is null)
        {
            return (null, problem);
        }
        var recipient = Recipient(form["recipient"]);
        if (form.Files["file"] is { Length: > 0 } file)
        {
            await using var stream = file.OpenReadStream();
            using var bytes = new MemoryStream();
            await stream.CopyToAsync(bytes, cancellationToken);
            return FromImage(bytes.ToArray(), recipient);
        }
        if (form["credential"].ToString() is { Length: > 0 } text)
        {
            return FromText(text, recipient, "The pasted credential");
        }
        return (null, new InputProblem(ProblemTypes.MissingInput, "The form has neither a file (field \"file\") nor a pasted credential (field \"credential\")."));
    }

    private static bool IsJsonObjectPart(string part)
    {
        if (part.Length == 0 || !Base64Url.IsValid(part))
        {
            return false;
        }
        return StrictJson.IsObject(Base64Url.DecodeFromChars(part));
    }

    /// <summary>An OB 2.0 assertion: its <c>@context</c> is the OB 2.0 context, or its type is <c>Assertion</c>.</summary>
    private static bool IsOb2Assertion(JsonObject json) =>
        json["@context"]?.ToJsonString().Contains("openbadges/v2", StringComparison.Ordinal) == true
        || (json["type"] is JsonValue type && type.TryGetValue<string>(out var t) && t == "Assertion");

    private static string? Recipient(Microsoft.Extensions.Primitives.StringValues value) =>
        value.ToString().Trim() is { Length: > 0 } email ? email : null;

    private const string TooLargeDetail = "The upload is larger than 5 MB; badge images and credentials are much smaller.";
}
