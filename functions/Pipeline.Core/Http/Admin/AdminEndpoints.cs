using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using Pipeline.Core.Catalog;
using Pipeline.Core.Json;
using Pipeline.Core.Pathways;
using Pipeline.Core.Stages.Revoke;
using Pipeline.Core.Storage;

namespace Pipeline.Core.Http.Admin;

/// <summary>
/// The admin API (docs/verification.md): revoke one credential, revoke from a CSV, a learner's progress. Every call
/// needs <c>Authorization: Bearer &lt;token&gt;</c> accepted by the <see cref="IAdminAuthenticator"/>; the actor it
/// names is what the audit log records. Missing or wrong credentials are a 401 problem with <c>WWW-Authenticate</c>.
/// </summary>
public sealed class AdminEndpoints(
    IAdminAuthenticator authenticator,
    RevokeCredentialHandler revoker,
    ICredentialLedger credentials,
    IProgressLedger progress,
    IEventLedger events,
    PathwayEvaluator evaluator,
    PipelineCatalog catalog)
{
    public const string Realm = "credential-pipeline-admin";
    public const int MaxJsonBytes = 16 * 1024;
    public const int MaxCsvBytes = 5 * 1024 * 1024;

    /// <summary>Longest bearer token passed to the authenticator: room for Entra ID access tokens (JWTs of a few KB with group and role claims).</summary>
    public const int MaxBearerTokenLength = 8 * 1024;

    /// <summary><c>POST /api/credentials/{id}/revoke</c> with <c>{"reason": "…"}</c>.</summary>
    public async Task<IResult> RevokeAsync(HttpRequest request, string id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (await AuthenticateAsync(request, cancellationToken) is not { } actor)
        {
            return Unauthorized(request);
        }
        var (body, problem) = await RequestBody.ReadAsync(request, MaxJsonBytes, $"The body is larger than {MaxJsonBytes / 1024} KB; send {{\"reason\": \"…\"}}.", cancellationToken);
        if (body is null)
        {
            return Problems.Write(request, problem!.Type, problem.Detail);
        }
        var (text, notUtf8) = RequestBody.Utf8(body, ProblemTypes.InvalidRequest, "The body");
        if (text is null)
        {
            return Problems.Write(request, notUtf8!.Type, notUtf8.Detail);
        }
        var (json, error) = StrictJson.ParseObject(text.Length == 0 ? "{}" : text);
        if (json is null)
        {
            return Problems.Write(request, ProblemTypes.InvalidRequest, $"The body {error}; send {{\"reason\": \"…\"}}.");
        }
        var reason = json["reason"] is JsonValue value && value.TryGetValue<string>(out var r) ? r : null;
        var outcome = await revoker.RevokeAsync(id, reason ?? "", actor, cancellationToken);
        return outcome switch
        {
            RevocationOutcome.Revoked or RevocationOutcome.AlreadyRevoked => Responses.Json(await RecordAsync(id, outcome), MediaTypes.Json, cacheSeconds: null),
            RevocationOutcome.NotFound => Problems.NotFound(request, outcome.Message),
            RevocationOutcome.NotIssued => Problems.Write(request, ProblemTypes.NotIssued, outcome.Message),
            _ => Problems.Write(request, ProblemTypes.InvalidRequest, outcome.Message),
        };
    }

    /// <summary>
    /// <c>POST /api/credentials/revoke</c>: a CSV (<c>credential_id,reason</c>) as the body or the multipart field <c>file</c>.
    /// A file with rows that cannot be revoked as written is refused whole (<see cref="ProblemTypes.InvalidRows"/>, each
    /// row listed); nothing is revoked until every row passes.
    /// </summary>
    public async Task<IResult> RevokeManyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (await AuthenticateAsync(request, cancellationToken) is not { } actor)
        {
            return Unauthorized(request);
        }
        var tooLarge = $"The CSV is larger than {MaxCsvBytes / (1024 * 1024)} MB; split it.";
        byte[] csv;
        if (request.HasFormContentType)
        {
            var (form, problem) = await RequestBody.ReadFormAsync(request, MaxCsvBytes, new FormLimits { MaxParts = 4 }, tooLarge, cancellationToken);
            if (form is null)
            {
                return Problems.Write(request, problem!.Type, problem.Detail);
            }
            if (form.Files["file"] is not { } file)
            {
                return Problems.Write(request, ProblemTypes.InvalidRequest, "The form has no file field \"file\" with the CSV.");
            }
            await using var stream = file.OpenReadStream();
            using var copy = new MemoryStream();
            await stream.CopyToAsync(copy, cancellationToken);
            csv = copy.ToArray();
        }
        else
        {
            var (body, problem) = await RequestBody.ReadAsync(request, MaxCsvBytes, tooLarge, cancellationToken);
            if (body is null)
            {
                return Problems.Write(request, problem!.Type, problem.Detail);
            }
            csv = body;
        }
        using var csvStream = new MemoryStream(csv, writable: false);
        var report = await revoker.RevokeManyAsync(csvStream, actor, cancellationToken);
        if (report.FileError is { } error)
        {
            return Problems.Write(request, ProblemTypes.InvalidRequest, error);
        }
        if (report.Refused)
        {
            var refused = Problems.Body(ProblemTypes.InvalidRows, report.RefusalDetail, request.Path.Value);
            refused["rows"] = Rows(report.Rows);
            return Responses.Json(refused, MediaTypes.Problem, cacheSeconds: null, ProblemTypes.InvalidRows.Status);
        }
        return Responses.Json(new JsonObject { ["revoked"] = report.RevokedCount, ["failed"] = report.FailedCount, ["rows"] = Rows(report.Rows) }, MediaTypes.Json, cacheSeconds: null);
    }

    private static JsonArray Rows(IEnumerable<BulkRevocationRow> report)
    {
        var rows = new JsonArray();
        foreach (var row in report)
        {
            rows.Add(new JsonObject
            {
                ["row"] = row.Row,
                ["credentialId"] = row.CredentialId,
                ["outcome"] = OutcomeCode(row.Outcome),
                ["message"] = row.Outcome.Message,
            });
        }
        return rows;
    }

    /// <summary><c>GET /api/learners/{learner}/progress</c>: profile, earned credentials, and per achievement the explanation tree.</summary>
    public async Task<IResult> ProgressAsync(HttpRequest request, string learner, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (await AuthenticateAsync(request, cancellationToken) is null)
        {
            return Unauthorized(request);
        }
        var profile = await progress.GetLearnerAsync(learner, cancellationToken);
        var facts = await events.GetByLearnerAsync(learner, cancellationToken);
        var earned = await progress.GetEarnedAsync(learner, cancellationToken);
        if (profile is null && facts.Count == 0 && earned.Count == 0)
        {
            return Problems.NotFound(request, "There is no learner with this id.");
        }
        var issued = await credentials.GetByLearnerAsync(learner, cancellationToken);
        var state = new LearnerProgress(learner, facts, [.. earned.Select(e => new PriorAward(e.AchievementId, e.AwardedAt))]);
        var achievements = new JsonArray();
        foreach (var achievement in catalog.Achievements.Values.OrderBy(a => a.Id, StringComparer.Ordinal))
        {
            var explanation = evaluator.Explain(state, achievement.Id);
            achievements.Add(new JsonObject
            {
                ["achievementId"] = explanation.AchievementId,
                ["name"] = explanation.AchievementName,
                ["earned"] = explanation.Earned,
                ["awardedAt"] = Date(explanation.AwardedAt),
                ["rule"] = Rule(explanation.Rule),
            });
        }
        var credentialsJson = new JsonArray();
        foreach (var record in issued.OrderBy(r => r.AwardedAt))
        {
            credentialsJson.Add(Record(record));
        }
        return Responses.Json(new JsonObject
        {
            ["learnerId"] = learner,
            ["name"] = profile?.DisplayName,
            ["email"] = profile?.Email,
            ["credentials"] = credentialsJson,
            ["achievements"] = achievements,
        }, MediaTypes.Json, cacheSeconds: null);
    }

    private async Task<string?> AuthenticateAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var header = request.Headers.Authorization.ToString();
        const string scheme = "Bearer ";
        if (!header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase) || header[scheme.Length..].Trim() is not { Length: > 0 and <= MaxBearerTokenLength } token)
        {
            return null;
        }
        return await authenticator.AuthenticateAsync(token, cancellationToken);
    }

    private static WithHeader Unauthorized(HttpRequest request)
    {
        var hasToken = request.Headers.Authorization.Count > 0;
        var challenge = hasToken ? $"Bearer realm=\"{Realm}\", error=\"invalid_token\"" : $"Bearer realm=\"{Realm}\"";
        return new WithHeader(
            Problems.Write(request, ProblemTypes.Unauthorized, hasToken
                ? "The bearer token is not a valid admin API key."
                : "Send an admin API key as Authorization: Bearer <key>."),
            HeaderNames.WWWAuthenticate,
            challenge);
    }

    private async Task<JsonObject> RecordAsync(string id, RevocationOutcome outcome)
    {
        var record = await credentials.GetAsync(id.Trim(), CancellationToken.None);
        var json = record is null ? new JsonObject { ["credentialId"] = id } : Record(record);
        json["outcome"] = OutcomeCode(outcome);
        json["message"] = outcome.Message;
        return json;
    }

    private static JsonObject Record(CredentialRecord record) => new()
    {
        ["credentialId"] = record.CredentialId,
        ["issuerId"] = record.IssuerId,
        ["achievementId"] = record.AchievementId,
        ["learnerId"] = record.LearnerId,
        ["state"] = record.State.ToString().ToLowerInvariant(),
        ["awardedAt"] = Date(record.AwardedAt),
        ["revokedAt"] = Date(record.RevokedAt),
        ["revocationReason"] = record.RevocationReason,
    };

    private static JsonObject Rule(RuleExplanation rule)
    {
        var children = new JsonArray();
        foreach (var child in rule.Children)
        {
            children.Add(Rule(child));
        }
        return new JsonObject
        {
            ["kind"] = rule.Kind.ToString(),
            ["met"] = rule.Met,
            ["metAt"] = Date(rule.MetAt),
            ["description"] = rule.Description,
            ["children"] = children,
        };
    }

    /// <summary><c>revoked</c>, <c>already-revoked</c>, <c>not-found</c>, <c>not-issued</c> or <c>rejected</c>.</summary>
    public static string OutcomeCode(RevocationOutcome outcome) => outcome switch
    {
        RevocationOutcome.Revoked => "revoked",
        RevocationOutcome.AlreadyRevoked => "already-revoked",
        RevocationOutcome.NotFound => "not-found",
        RevocationOutcome.NotIssued => "not-issued",
        _ => "rejected",
    };

    private static string? Date(DateTimeOffset? value) =>
        value?.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>Runs a result with one more response header (the 401 challenge).</summary>
    private sealed class WithHeader(IResult inner, string name, string value) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.Headers[name] = value;
            return inner.ExecuteAsync(httpContext);
        }
    }
}
