using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Pipeline.Core.Catalog;
using Pipeline.Core.Credentials;
using Pipeline.Core.Http.Pages;
using Pipeline.Core.Storage;
using Pipeline.Core.Verification;

namespace Pipeline.Core.Http;

/// <summary>
/// The logic of every public URL (design: Public URLs), written once for both hosts: the embedded host maps it with
/// <see cref="PipelineEndpointRouteBuilderExtensions.MapPipelineEndpoints"/>, the Functions app calls the same methods
/// from <c>[HttpTrigger]</c> functions routed by <see cref="PublicRoutes"/>. Each method takes the request (for content
/// negotiation) and the route values, and returns an <see cref="IResult"/>; unknown ids are problem details (or the
/// HTML 404 page for a browser), never exceptions.
/// </summary>
public sealed partial class PublicEndpoints(
    PipelineCatalog catalog,
    IBlobStore blobs,
    ICredentialLedger credentials,
    IClaimLedger claims,
    IProgressLedger progress,
    IssuerKeys keys,
    LocalCredentialVerifier verifier,
    CredentialVerificationCache verifications,
    TimeProvider timeProvider,
    ILogger<PublicEndpoints> logger)
{
    /// <summary>A blob the health check reads; it need not exist (a store that answers "not found" is healthy).</summary>
    public const string HealthProbeBlob = "healthz";

    private const int MaxClaimTokenLength = 128;

    /// <summary><c>GET /issuers/{issuer}</c>: the OB 3.0 Profile (<c>application/json</c>), or its HTML page for a browser.</summary>
    public IResult Issuer(HttpRequest request, string issuer)
    {
        if (!catalog.Issuers.TryGetValue(issuer, out var found))
        {
            return UnknownIssuer(request);
        }
        var image = IssuerImageUrl(found);
        return ContentNegotiation.PrefersHtml(request, MediaTypes.Json)
            ? Responses.Page(IssuerPage.Render(found, image?.AbsolutePath, catalog.Achievements.Values.Where(a => a.IssuerId == found.Id)))
            : Responses.Json(IssuerDocuments.IssuerProfile(found, image), MediaTypes.Json);
    }

    /// <summary><c>GET /issuers/{issuer}.png</c> or <c>.svg</c>: the issuer's logo from the catalog, when it has one of that kind.</summary>
    public IResult IssuerImage(HttpRequest request, string issuer, string extension)
    {
        if (catalog.Issuers.TryGetValue(issuer, out var found)
            && found.ImagePath is { } path
            && ImageExtension(path) == extension)
        {
            return CatalogFile(request, path, extension);
        }
        return Problems.NotFound(request, "This issuer has no logo of that kind.");
    }

    /// <summary><c>GET /issuers/{issuer}/did.json</c>: the DID document of <c>did:web:{host}:issuers:{issuer}</c>.</summary>
    public async Task<IResult> IssuerDidDocumentAsync(HttpRequest request, string issuer, CancellationToken cancellationToken)
    {
        if (!catalog.Issuers.TryGetValue(issuer, out var found))
        {
            return UnknownIssuer(request);
        }
        return Responses.Json(await keys.DidDocumentAsync(found, cancellationToken), MediaTypes.Json);
    }

    /// <summary><c>GET /issuers/{issuer}/jwks.json</c>: the issuer's JWK Set.</summary>
    public async Task<IResult> IssuerJwksAsync(HttpRequest request, string issuer, CancellationToken cancellationToken)
    {
        if (!catalog.Issuers.TryGetValue(issuer, out var found))
        {
            return UnknownIssuer(request);
        }
        return Responses.Json(await keys.IssuerJwksAsync(found, cancellationToken), MediaTypes.JwkSet);
    }

    /// <summary><c>GET /.well-known/jwks.json</c>: every issuer's key, each JWK with <c>iss</c>.</summary>
    public async Task<IResult> AllIssuersJwksAsync(CancellationToken cancellationToken) =>
        Responses.Json(await keys.AllIssuersJwksAsync(cancellationToken), MediaTypes.JwkSet);

    /// <summary><c>GET /achievements/{achievement}</c>: the OB 3.0 Achievement (<c>application/json</c>), or its HTML page for a browser.</summary>
    public IResult Achievement(HttpRequest request, string achievement)
    {
        if (!catalog.Achievements.TryGetValue(achievement, out var found))
        {
            return UnknownAchievement(request);
        }
        var issuer = catalog.IssuerOf(found);
        return ContentNegotiation.PrefersHtml(request, MediaTypes.Json)
            ? Responses.Page(AchievementPage.Render(found, issuer))
            : Responses.Json(IssuerDocuments.Achievement(found, issuer, issuer.Urls.AchievementImage(found.Id, "png")), MediaTypes.Json);
    }

    /// <summary><c>GET /achievements/{achievement}.png</c> or <c>.svg</c>: the unbaked source art from the catalog folder.</summary>
    public IResult AchievementImage(HttpRequest request, string achievement, string extension)
    {
        if (!catalog.Achievements.TryGetValue(achievement, out var found))
        {
            return UnknownAchievement(request);
        }
        return extension switch
        {
            "png" => CatalogFile(request, found.ImagePngPath, extension),
            "svg" => CatalogFile(request, found.ImageSvgPath, extension),
            _ => Problems.NotFound(request, "Achievement images are PNG or SVG."),
        };
    }

    /// <summary>
    /// <c>GET /credentials/{id}</c>: the public verification page (its outcome reused through <see cref="CredentialVerificationCache"/>), or the credential JSON when the client asks for
    /// <c>application/json</c>, <c>application/ld+json</c> or <c>application/vc+ld+json</c> (answered in that type).
    /// </summary>
    public async Task<IResult> CredentialAsync(HttpRequest request, string id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!CredentialId.TryParse(id, out _))
        {
            return UnknownCredential(request);
        }
        var representation = ContentNegotiation.Choose(request, MediaTypes.Html, MediaTypes.VcLdJson, MediaTypes.LdJson, MediaTypes.Json);
        if (representation != MediaTypes.Html)
        {
            var json = await blobs.GetAsync(Containers.Credentials, BlobNames.CredentialFile(id, "json"), cancellationToken);
            return json is null ? UnknownCredential(request) : Responses.Bytes(json.Content, representation, Responses.ShortCacheSeconds);
        }
        var jwt = await blobs.GetAsync(Containers.Credentials, BlobNames.CredentialFile(id, "jwt"), cancellationToken);
        if (jwt is null)
        {
            return UnknownCredential(request);
        }
        var verification = await verifications.GetOrVerifyAsync(
            id, jwt.Content, ct => verifier.VerifyAsync(Encoding.UTF8.GetString(jwt.Content.Span), ct), cancellationToken);
        return Responses.Page(VerificationPage.Render(id, verification, timeProvider.GetUtcNow()));
    }

    /// <summary><c>GET /credentials/{id}.jwt</c> (<c>text/plain</c>), <c>.json</c> (<c>application/vc+ld+json</c>), <c>.png</c>, <c>.svg</c>.</summary>
    public async Task<IResult> CredentialFileAsync(HttpRequest request, string id, string extension, CancellationToken cancellationToken)
    {
        var contentType = extension switch
        {
            "jwt" => MediaTypes.Jwt,
            "json" => MediaTypes.VcLdJson,
            "png" => MediaTypes.Png,
            "svg" => MediaTypes.Svg,
            _ => null,
        };
        if (contentType is null || !CredentialId.TryParse(id, out _))
        {
            return UnknownCredential(request);
        }
        var blob = await blobs.GetAsync(Containers.Credentials, BlobNames.CredentialFile(id, extension), cancellationToken);
        return blob is null ? UnknownCredential(request) : Responses.Bytes(blob.Content, contentType, Responses.ShortCacheSeconds);
    }

    /// <summary><c>GET /status/{issuer}/{list}</c>: the signed Bitstring Status List credential (VC-JWT, <c>text/plain</c>), cacheable for 5 minutes.</summary>
    public async Task<IResult> StatusListAsync(HttpRequest request, string issuer, string list, CancellationToken cancellationToken)
    {
        if (!catalog.Issuers.ContainsKey(issuer) || !BlobNames.IsSafeId(list))
        {
            return Problems.NotFound(request, "There is no status list at this address.");
        }
        var blob = await blobs.GetAsync(Containers.Public, BlobNames.StatusList(issuer, list), cancellationToken);
        return blob is null
            ? Problems.NotFound(request, "There is no status list at this address.")
            : Responses.Bytes(blob.Content, MediaTypes.Jwt, Responses.ShortCacheSeconds);
    }

    /// <summary>
    /// <c>GET /claim/{token}</c>: the learner's claim page. An unknown or expired token, or a credential that cannot
    /// be shown, all get the same 404 page, byte for byte.
    /// </summary>
    public async Task<IResult> ClaimAsync(string token, CancellationToken cancellationToken)
    {
        var view = await FindClaimAsync(token, cancellationToken);
        return view is null
            ? Responses.Page(ClaimUnavailablePage.Render(), StatusCodes.Status404NotFound, isPrivate: true)
            : Responses.Page(ClaimPage.Render(view), isPrivate: true);
    }

    /// <summary>
    /// <c>GET /ob2/assertions/{id}</c>: the OB 2.0 hosted assertion (<c>application/ld+json</c>, or <c>application/json</c>
    /// when only that is accepted); <c>410 Gone</c> with the revoked-assertion body when the credential is revoked or suspended.
    /// </summary>
    public async Task<IResult> Ob2AssertionAsync(HttpRequest request, string id, CancellationToken cancellationToken)
    {
        if (!CredentialId.TryParse(id, out var credentialId))
        {
            return UnknownCredential(request);
        }
        var contentType = ContentNegotiation.Choose(request, MediaTypes.LdJson, MediaTypes.Json);
        var record = await credentials.GetAsync(id, cancellationToken);
        if (record is { State: CredentialState.Revoked or CredentialState.Suspended } && catalog.Issuers.TryGetValue(record.IssuerId, out var issuer))
        {
            var reason = string.IsNullOrWhiteSpace(record.RevocationReason) ? "Revoked by the issuer." : record.RevocationReason;
            return Responses.Json(OpenBadges2Documents.RevokedAssertion(issuer, credentialId, reason), contentType, cacheSeconds: null, StatusCodes.Status410Gone);
        }
        var blob = await blobs.GetAsync(Containers.Public, BlobNames.Ob2Assertion(id), cancellationToken);
        return blob is null ? UnknownCredential(request) : Responses.Bytes(blob.Content, contentType, cacheSeconds: null);
    }

    /// <summary><c>GET /ob2/assertions/{id}.png</c>: the badge art baked with the OB 2.0 assertion (the assertion's <c>image</c>).</summary>
    public async Task<IResult> Ob2AssertionImageAsync(HttpRequest request, string id, CancellationToken cancellationToken)
    {
        if (!CredentialId.TryParse(id, out _))
        {
            return UnknownCredential(request);
        }
        var blob = await blobs.GetAsync(Containers.Public, BlobNames.Ob2AssertionImage(id), cancellationToken);
        return blob is null ? UnknownCredential(request) : Responses.Bytes(blob.Content, MediaTypes.Png, Responses.ShortCacheSeconds);
    }

    /// <summary><c>GET /ob2/badges/{achievement}</c>: the OB 2.0 BadgeClass.</summary>
    public IResult Ob2BadgeClass(HttpRequest request, string achievement)
    {
        if (!catalog.Achievements.TryGetValue(achievement, out var found))
        {
            return UnknownAchievement(request);
        }
        var issuer = catalog.IssuerOf(found);
        var contentType = ContentNegotiation.Choose(request, MediaTypes.LdJson, MediaTypes.Json);
        return Responses.Json(OpenBadges2Documents.BadgeClass(found, issuer, issuer.Urls.AchievementImage(found.Id, "png")), contentType);
    }

    /// <summary><c>GET /ob2/issuers/{issuer}</c>: the OB 2.0 Issuer profile.</summary>
    public IResult Ob2Issuer(HttpRequest request, string issuer)
    {
        if (!catalog.Issuers.TryGetValue(issuer, out var found))
        {
            return UnknownIssuer(request);
        }
        var contentType = ContentNegotiation.Choose(request, MediaTypes.LdJson, MediaTypes.Json);
        return Responses.Json(OpenBadges2Documents.IssuerProfile(found, IssuerImageUrl(found)), contentType);
    }

    /// <summary><c>GET /healthz</c>: <c>{"status":"ok"}</c> when the blob store answers; 503 problem details when it does not.</summary>
    public async Task<IResult> HealthAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        try
        {
            await blobs.GetAsync(Containers.Public, HealthProbeBlob, cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            Log.BlobStoreUnhealthy(logger, exception);
            return Problems.Unavailable(request, "The blob store does not answer.");
        }
        return Responses.Json(new JsonObject { ["status"] = "ok" }, MediaTypes.Json, cacheSeconds: null);
    }

    /// <summary>Any other path: 404 problem details, or the HTML 404 page for a browser.</summary>
    public static IResult NotFound(HttpRequest request) => Problems.NotFound(request, "There is nothing at this address.");

    private async Task<ClaimView?> FindClaimAsync(string token, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(token) || token.Length > MaxClaimTokenLength)
        {
            return null;
        }
        var claim = await claims.GetByTokenHashAsync(ClaimTokens.Hash(token), cancellationToken);
        if (claim is null || claim.ExpiresAt <= timeProvider.GetUtcNow())
        {
            return null;
        }
        var record = await credentials.GetAsync(claim.CredentialId, cancellationToken);
        if (record is null or { State: CredentialState.Pending }
            || !catalog.Achievements.TryGetValue(record.AchievementId, out var achievement)
            || !catalog.Issuers.TryGetValue(record.IssuerId, out var issuer))
        {
            return null;
        }
        var json = await blobs.GetAsync(Containers.Credentials, BlobNames.CredentialFile(record.CredentialId, "json"), cancellationToken);
        if (json is null || JsonNode.Parse(json.Content.Span) is not JsonObject credential)
        {
            return null;
        }
        var learner = await progress.GetLearnerAsync(record.LearnerId, cancellationToken);
        return new ClaimView
        {
            CredentialId = record.CredentialId,
            Issuer = issuer,
            Achievement = achievement,
            LearnerName = learner?.DisplayName,
            AwardedAt = CredentialDates.TryParse((string?)credential["awardedDate"], out var awarded) ? awarded : record.AwardedAt,
            ValidUntil = CredentialDates.TryParse((string?)credential["validUntil"], out var until) ? until : null,
            Revoked = record.State is CredentialState.Revoked or CredentialState.Suspended,
        };
    }

    private IResult CatalogFile(HttpRequest request, string relativePath, string extension)
    {
        var path = catalog.ResolvePath(relativePath);
        if (!File.Exists(path))
        {
            return Problems.NotFound(request, "The image file is missing from the catalog.");
        }
        return Responses.Bytes(File.ReadAllBytes(path), extension == "svg" ? MediaTypes.Svg : MediaTypes.Png, Responses.LongCacheSeconds);
    }

    private static Uri? IssuerImageUrl(Issuer issuer) =>
        issuer.ImagePath is { } path && ImageExtension(path) is { } extension ? issuer.Urls.IssuerImage(issuer.Id, extension) : null;

    private static string? ImageExtension(string path) => Path.GetExtension(path).ToUpperInvariant() switch
    {
        ".PNG" => "png",
        ".SVG" => "svg",
        _ => null,
    };

    private static IResult UnknownIssuer(HttpRequest request) => Problems.NotFound(request, "There is no issuer with this id.");

    private static IResult UnknownAchievement(HttpRequest request) => Problems.NotFound(request, "There is no achievement with this id.");

    private static IResult UnknownCredential(HttpRequest request) => Problems.NotFound(request, "There is no credential with this id.");

    private static partial class Log
    {
        [LoggerMessage(EventId = 8001, Level = LogLevel.Error, Message = "Health check: the blob store did not answer")]
        public static partial void BlobStoreUnhealthy(ILogger logger, Exception exception);
    }
}
