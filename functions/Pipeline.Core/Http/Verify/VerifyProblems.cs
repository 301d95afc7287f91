using Microsoft.AspNetCore.Http;

namespace Pipeline.Core.Http.Verify;

/// <summary>
/// Why <c>POST /api/verify</c> could not even start verifying: each a problem type whose URN ends with a stable code
/// (<c>urn:credential-pipeline:problem:not-png</c>, …); a body that cannot be read at all has a <see cref="RequestBody"/> problem (<see cref="ProblemType.PayloadTooLarge"/>, <see cref="ProblemType.MalformedForm"/>, <see cref="ProblemType.FormLimitExceeded"/>, <see cref="ProblemType.MalformedBody"/>). A credential that is read but fails a check is not a problem:
/// it is a 200 answer with the verdict and the failed check.
/// </summary>
public static class VerifyProblems
{
    public static readonly ProblemType UnsupportedMediaType = new(ProblemType.Prefix + "unsupported-media-type", "Unsupported media type", StatusCodes.Status415UnsupportedMediaType);
    public static readonly ProblemType MissingInput = new(ProblemType.Prefix + "missing-input", "Nothing to verify", StatusCodes.Status400BadRequest);
    public static readonly ProblemType NotPng = new(ProblemType.Prefix + "not-png", "Not a PNG or SVG badge", StatusCodes.Status400BadRequest);
    public static readonly ProblemType CorruptImage = new(ProblemType.Prefix + "corrupt-image", "Damaged badge image", StatusCodes.Status400BadRequest);
    public static readonly ProblemType NoCredential = new(ProblemType.Prefix + "no-credential", "No credential inside", StatusCodes.Status422UnprocessableEntity);
    public static readonly ProblemType MalformedJwt = new(ProblemType.Prefix + "malformed-jwt", "Malformed JWT", StatusCodes.Status400BadRequest);
    public static readonly ProblemType MalformedJson = new(ProblemType.Prefix + "malformed-json", "Malformed JSON", StatusCodes.Status400BadRequest);
}
