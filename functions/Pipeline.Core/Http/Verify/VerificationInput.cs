using System.Buffers.Text;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Net.Http.Headers;
using Pipeline.Core.Baking;

namespace Pipeline.Core.Http.Verify;

/// <summary>What was submitted for verification: the credential text, whether it is an OB 2.0 assertion, and the recipient email to compare (optional).</summary>
public sealed record VerificationInput(string Credential, bool IsOb2, string? Recipient);

/// <summary>An input that cannot be verified: its problem type and what is wrong, in plain words.</summary>
public sealed record InputProblem(ProblemType Type, string Detail);

/// <summary>
/// Reads what <c>POST /api/verify</c> (and the page's upload form) accepts: a <c>multipart/form-data</c> upload (field
/// <c>file</c>: a baked PNG or SVG; or field <c>credential</c>: pasted text; optional field <c>recipient</c>), or a body
/// of type <c>image/png</c>, <c>image/svg+xml</c>, <c>application/jwt</c>, <c>text/plain</c> (a compact JWS or JSON),
/// <c>application/json</c>, <c>application/ld+json</c> or <c>application/vc+ld+json</c> (recipient from the
/// <c>recipient</c> query parameter). At most <see cref="MaxBytes"/> are read.
/// </summary>
public static class VerificationInputReader
{
    public const int MaxBytes = 5 * 1024 * 1024;

    private static readonly string[] TextTypes = ["application/jwt", "text/plain", MediaTypes.Json, MediaTypes.LdJson, MediaTypes.VcLdJson];

    public static async Task<(VerificationInput? Input, InputProblem? Problem)> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.ContentLength > MaxBytes)
        {
            return TooLarge();
        }
        if (request.HasFormContentType)
        {
            return await ReadFormAsync(request, cancellationToken);
        }
        var mediaType = MediaTypeHeaderValue.TryParse(request.ContentType, out var parsed) ? parsed.MediaType.Value?.ToLowerInvariant() : null;
        if (mediaType is not null && mediaType is not (MediaTypes.Png or MediaTypes.Svg) && !TextTypes.Contains(mediaType))
        {
            return (null, new InputProblem(VerifyProblems.UnsupportedMediaType,
                $"Content-Type {mediaType} is not accepted; send multipart/form-data, image/png, image/svg+xml, application/jwt, text/plain or application/json."));
        }
        var body = await ReadCappedAsync(request.Body, cancellationToken);
        if (body is null)
        {
            return TooLarge();
        }
        var recipient = Recipient(request.Query["recipient"]);
        return mediaType is MediaTypes.Png or MediaTypes.Svg
            ? FromImage(body, recipient)
            : FromText(Encoding.UTF8.GetString(body), recipient, "The request body");
    }

    /// <summary>Reads a baked image: the credential inside, or why there is none.</summary>
    public static (VerificationInput? Input, InputProblem? Problem) FromImage(byte[] image, string? recipient)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (image.Length == 0)
        {
            return (null, new InputProblem(VerifyProblems.MissingInput, "The uploaded file is empty."));
        }
        var unbaked = Bakery.Unbake(image, new UnbakingLimits { MaxImageBytes = MaxBytes });
        if (!unbaked.Succeeded)
        {
            var type = unbaked.Error.Code switch
            {
                BakingErrorCode.NotPng or BakingErrorCode.UnsupportedImageType => VerifyProblems.NotPng,
                BakingErrorCode.ImageTooLarge or BakingErrorCode.PayloadTooLarge => ProblemType.PayloadTooLarge,
                BakingErrorCode.NoCredential or BakingErrorCode.EmptyCredential => VerifyProblems.NoCredential,
                BakingErrorCode.InvalidJson => VerifyProblems.MalformedJson,
                BakingErrorCode.UnrecognizedPayload => VerifyProblems.NoCredential,
                _ => VerifyProblems.CorruptImage,
            };
            return (null, new InputProblem(type, $"The uploaded image cannot be read ({unbaked.Error.Code}): {unbaked.Error.Message}"));
        }
        var baked = unbaked.Value;
        return baked.IsOb3
            ? FromText(baked.Payload, recipient, "The credential baked in the image")
            : (new VerificationInput(baked.Payload, IsOb2: true, recipient), null);
    }

    /// <summary>Reads pasted text: a JSON object (an OB 3.0 credential or an OB 2.0 assertion) or a compact JWS.</summary>
    public static (VerificationInput? Input, InputProblem? Problem) FromText(string text, string? recipient, string what)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.Trim().TrimStart('\uFEFF');
        if (trimmed.Length == 0)
        {
            return (null, new InputProblem(VerifyProblems.MissingInput, $"{what} is empty: send a baked PNG or SVG, a JWT or a JSON credential."));
        }
        if (trimmed.StartsWith('{'))
        {
            JsonObject? json;
            try
            {
                json = JsonNode.Parse(trimmed) as JsonObject;
            }
            catch (JsonException e)
            {
                return (null, new InputProblem(VerifyProblems.MalformedJson, $"{what} is not valid JSON: {e.Message}"));
            }
            return json is null
                ? (null, new InputProblem(VerifyProblems.MalformedJson, $"{what} is JSON but not a JSON object."))
                : (new VerificationInput(trimmed, IsOb2Assertion(json), recipient), null);
        }
        var parts = trimmed.Split('.');
        if (parts.Length != 3)
        {
            return (null, new InputProblem(VerifyProblems.MalformedJwt, $"{what} is neither JSON nor a compact JWS: expected 3 dot-separated parts, found {parts.Length}."));
        }
        for (var i = 0; i < 2; i++)
        {
            if (!IsJsonObjectPart(parts[i]))
            {
                return (null, new InputProblem(VerifyProblems.MalformedJwt, $"{what} is not a compact JWS: its {(i == 0 ? "header" : "payload")} (part {i + 1}) is not base64url-encoded JSON object."));
            }
        }
        if (parts[2].Length > 0 && !Base64Url.IsValid(parts[2]))
        {
            return (null, new InputProblem(VerifyProblems.MalformedJwt, $"{what} is not a compact JWS: its signature (part 3) is not base64url."));
        }
        return (new VerificationInput(trimmed, IsOb2: false, recipient), null);
    }

    private static async Task<(VerificationInput? Input, InputProblem? Problem)> ReadFormAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        request.HttpContext.Features.Set<IFormFeature>(new FormFeature(request, new FormOptions
        {
            MultipartBodyLengthLimit = MaxBytes,
            ValueLengthLimit = MaxBytes,
            ValueCountLimit = 16,
            BufferBodyLengthLimit = MaxBytes,
        }));
        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(cancellationToken);
        }
        catch (InvalidDataException e) when (e.Message.Contains("limit", StringComparison.OrdinalIgnoreCase))
        {
            return TooLarge();
        }
        catch (InvalidDataException)
        {
            return (null, new InputProblem(VerifyProblems.MalformedForm, "The multipart form cannot be read: its boundaries or headers are malformed."));
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return TooLarge();
        }
        var recipient = Recipient(form["recipient"]);
        if (form.Files["file"] is { Length: > 0 } file)
        {
            if (file.Length > MaxBytes)
            {
                return TooLarge();
            }
            await using var stream = file.OpenReadStream();
            var bytes = await ReadCappedAsync(stream, cancellationToken);
            return bytes is null ? TooLarge() : FromImage(bytes, recipient);
        }
        if (form["credential"].ToString() is { Length: > 0 } text)
        {
            return FromText(text, recipient, "The pasted credential");
        }
        return (null, new InputProblem(VerifyProblems.MissingInput, "The form has neither a file (field \"file\") nor a pasted credential (field \"credential\")."));
    }

    private static async Task<byte[]?> ReadCappedAsync(Stream stream, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxBytes)
            {
                return null;
            }
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    private static bool IsJsonObjectPart(string part)
    {
        if (part.Length == 0 || !Base64Url.IsValid(part))
        {
            return false;
        }
        try
        {
            return JsonNode.Parse(Base64Url.DecodeFromChars(part)) is JsonObject;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>An OB 2.0 assertion: its <c>@context</c> is the OB 2.0 context, or its type is <c>Assertion</c>.</summary>
    private static bool IsOb2Assertion(JsonObject json) =>
        json["@context"]?.ToJsonString().Contains("openbadges/v2", StringComparison.Ordinal) == true
        || (json["type"] is JsonValue type && type.TryGetValue<string>(out var t) && t == "Assertion");

    private static string? Recipient(Microsoft.Extensions.Primitives.StringValues value) =>
        value.ToString().Trim() is { Length: > 0 } email ? email : null;

    private static (VerificationInput?, InputProblem?) TooLarge() =>
        (null, new InputProblem(ProblemType.PayloadTooLarge, $"The upload is larger than {MaxBytes / (1024 * 1024)} MB; badge images and credentials are much smaller."));
}
