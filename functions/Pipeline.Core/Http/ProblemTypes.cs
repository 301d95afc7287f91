using Microsoft.AspNetCore.Http;

namespace Pipeline.Core.Http;

/// <summary>
/// Every problem type an endpoint answers, declared once here: the stable <c>type</c> URI (<see cref="ProblemType.Prefix"/> +
/// a code), one title and the HTTP status; written by <see cref="Problems"/>. docs/problem-types.md lists them all, and
/// the OpenAPI documents (Http/OpenApi/openapi.json, docs/openapi/webhooks.yaml) name each; tests keep the three equal.
/// </summary>
public static class ProblemTypes
{
    public static readonly ProblemType NotFound = Define("not-found", "Not found", StatusCodes.Status404NotFound);
    public static readonly ProblemType Unavailable = Define("unavailable", "Service unavailable", StatusCodes.Status503ServiceUnavailable);

    /// <summary>A body over the limit of what it is sent to (the verify upload, a webhook, the server's own); the detail says which limit.</summary>
    public static readonly ProblemType PayloadTooLarge = Define("payload-too-large", "Payload too large", StatusCodes.Status413PayloadTooLarge);

    /// <summary>A form that cannot be read: cut off before its closing boundary, no boundary, malformed part headers.</summary>
    public static readonly ProblemType MalformedForm = Define("malformed-form", "Malformed form", StatusCodes.Status400BadRequest);

    /// <summary>A form over a structural limit (parts, a part's headers, the boundary's length); the detail says which.</summary>
    public static readonly ProblemType FormLimitExceeded = Define("form-limit-exceeded", "Form over a structural limit", StatusCodes.Status400BadRequest);

    /// <summary>A body that cannot be read to its end: it ended early or its chunked framing is broken.</summary>
    public static readonly ProblemType MalformedBody = Define("malformed-body", "Unreadable request body", StatusCodes.Status400BadRequest);

    /// <summary>JSON that does not parse, is not an object, names a member twice or nests too deep, or a text body that is not UTF-8: a verify input or a webhook delivery.</summary>
    public static readonly ProblemType MalformedJson = Define("malformed-json", "Malformed JSON", StatusCodes.Status400BadRequest);

    /// <summary>Too many requests from one address (a partner's webhook deliveries, new claim links); <c>Retry-After</c> says when to retry.</summary>
    public static readonly ProblemType RateLimited = Define("rate-limited", "Too many requests", StatusCodes.Status429TooManyRequests);

    // Why POST /api/verify could not even start verifying. A credential that is read but fails a check is not a
    // problem: it is a 200 answer with the verdict and the failed check.
    public static readonly ProblemType UnsupportedMediaType = Define("unsupported-media-type", "Unsupported media type", StatusCodes.Status415UnsupportedMediaType);
    public static readonly ProblemType MissingInput = Define("missing-input", "Nothing to verify", StatusCodes.Status400BadRequest);
    public static readonly ProblemType NotPng = Define("not-png", "Not a PNG or SVG badge", StatusCodes.Status400BadRequest);
    public static readonly ProblemType CorruptImage = Define("corrupt-image", "Damaged badge image", StatusCodes.Status400BadRequest);
    public static readonly ProblemType NoCredential = Define("no-credential", "No credential inside", StatusCodes.Status422UnprocessableEntity);
    public static readonly ProblemType MalformedJwt = Define("malformed-jwt", "Malformed JWT", StatusCodes.Status400BadRequest);

    /// <summary>POST /claim without a usable email address.</summary>
    public static readonly ProblemType InvalidEmail = Define("invalid-email", "Email address needed", StatusCodes.Status400BadRequest);

    // The admin API.
    public static readonly ProblemType Unauthorized = Define("unauthorized", "Admin credential required", StatusCodes.Status401Unauthorized);
    public static readonly ProblemType InvalidRequest = Define("invalid-request", "Invalid request", StatusCodes.Status400BadRequest);

    /// <summary>A bulk revocation file with rows that cannot be read or are invalid: nothing was revoked; the problem's <c>rows</c> name each.</summary>
    public static readonly ProblemType InvalidRows = Define("invalid-rows", "Rows to fix before anything is revoked", StatusCodes.Status400BadRequest);
    public static readonly ProblemType NotIssued = Define("not-issued", "Not issued yet", StatusCodes.Status409Conflict);

    // Refused webhook deliveries (docs/integrations.md).
    public static readonly ProblemType WebhookSignatureMissing = Define("webhook-signature-missing", "Webhook signature headers missing", StatusCodes.Status401Unauthorized);
    public static readonly ProblemType WebhookHeaderMalformed = Define("webhook-header-malformed", "Webhook signature header malformed", StatusCodes.Status400BadRequest);
    public static readonly ProblemType WebhookTimestampStale = Define("webhook-timestamp-stale", "Webhook timestamp outside the 5-minute window", StatusCodes.Status401Unauthorized);
    public static readonly ProblemType WebhookSignatureInvalid = Define("webhook-signature-invalid", "Webhook signature does not verify", StatusCodes.Status401Unauthorized);
    public static readonly ProblemType SchemaViolation = Define("schema-violation", "Body does not match its schema", StatusCodes.Status422UnprocessableEntity);

    /// <summary>Every problem type above, in declaration order.</summary>
    public static IReadOnlyList<ProblemType> All { get; } =
    [
        NotFound, Unavailable, PayloadTooLarge, MalformedForm, FormLimitExceeded, MalformedBody, MalformedJson, RateLimited,
        UnsupportedMediaType, MissingInput, NotPng, CorruptImage, NoCredential, MalformedJwt,
        InvalidEmail,
        Unauthorized, InvalidRequest, InvalidRows, NotIssued,
        WebhookSignatureMissing, WebhookHeaderMalformed, WebhookTimestampStale, WebhookSignatureInvalid, SchemaViolation,
    ];

    private static ProblemType Define(string code, string title, int status) => new(ProblemType.Prefix + code, title, status);
}
