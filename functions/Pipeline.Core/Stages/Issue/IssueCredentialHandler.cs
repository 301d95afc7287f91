using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Pipeline.Core.Baking;
using Pipeline.Core.Catalog;
using Pipeline.Core.Contracts;
using Pipeline.Core.Credentials;
using Pipeline.Core.Json;
using Pipeline.Core.Pathways;
using Pipeline.Core.Status;
using Pipeline.Core.Storage;

namespace Pipeline.Core.Stages.Issue;

public enum IssueOutcomeKind
{
    Issued,
    AlreadyIssued,
}

public sealed record IssueOutcome(IssueOutcomeKind Kind, string CredentialId);

/// <summary>
/// The Issue stage (queue <c>issuance</c>). Claims the credential id in the ledger first (with its status slot,
/// issue time and recipient salt), then builds, signs, bakes and stores the files from the claimed row, marks it
/// issued, audits, publishes <c>CredentialIssued</c> and asks for the claim email. A retry or a concurrent duplicate
/// finds the claimed row and produces the same credential: one status slot, one set of files.
/// </summary>
public sealed class IssueCredentialHandler(
    PipelineCatalog catalog,
    IssuanceSecrets secrets,
    BadgeArt art,
    VcJwt vcJwt,
    StatusListAllocator allocator,
    StatusListPublisher statusLists,
    IProgressLedger progress,
    IEventLedger events,
    ICredentialLedger credentials,
    IClaimLedger claims,
    IAuditLog audit,
    IBlobStore blobs,
    IEventPublisher publisher,
    TimeProvider time,
    ILogger<IssueCredentialHandler> logger)
{
    private readonly CredentialLocks _locks = new();

    public async Task<StageResult<IssueOutcome>> HandleAsync(IssueCredential message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (!catalog.Achievements.TryGetValue(message.AchievementId, out var achievement))
        {
            throw new InvalidMessageException(
                $"issuance message {message.CredentialId}: achievement \"{message.AchievementId}\" is not in the catalog.");
        }
        var issuer = catalog.IssuerOf(achievement);
        var expectedId = CredentialId.Compute(issuer.Id, achievement.Id, message.LearnerId, awardPeriod: null).Value;
        if (!string.Equals(expectedId, message.CredentialId, StringComparison.Ordinal))
        {
            throw new InvalidMessageException(
                $"issuance message: credentialId \"{message.CredentialId}\" is not the id of ({issuer.Id}, {achievement.Id}, {message.LearnerId}); expected \"{expectedId}\".");
        }

        using var held = await _locks.AcquireAsync(message.CredentialId, cancellationToken);
        var existing = await credentials.GetAsync(message.CredentialId, cancellationToken);
        if (existing is { State: not CredentialState.Pending })
        {
            Log.AlreadyIssued(logger, message.CredentialId, message.CorrelationId);
            await RecordIssuedIfUnrecordedAsync(existing, issuer, achievement, message.CorrelationId, cancellationToken);
            return StageResult.Of(new IssueOutcome(IssueOutcomeKind.AlreadyIssued, message.CredentialId),
                await ClaimEmailIfUnsentAsync(existing, message.CorrelationId, cancellationToken));
        }

        var learner = await progress.GetLearnerAsync(message.LearnerId, cancellationToken)
            ?? throw new InvalidOperationException($"Learner {message.LearnerId} is not in the progress ledger; the Evaluate stage records them first.");

        var record = existing ?? await ClaimAsync(message, issuer, cancellationToken);
        await statusLists.EnsurePublishedAsync(issuer, record.StatusListId, cancellationToken);

        var request = await BuildRequestAsync(record, issuer, achievement, learner, message.EvidenceEventIds, cancellationToken);
        var credential = OpenBadgeCredentialBuilder.Build(request);
        var jwt = await vcJwt.SignCredentialAsync(credential, issuer, cancellationToken);
        await WriteFilesAsync(record.CredentialId, issuer, request, credential, jwt, achievement, cancellationToken);

        var now = time.GetUtcNow();
        await credentials.UpdateStateAsync(record.CredentialId, CredentialState.Issued, reason: null, now, cancellationToken);
        await RecordIssuedAsync(record, issuer, achievement, message.CorrelationId, now, cancellationToken);
        Log.Issued(logger, record.CredentialId, achievement.Id, learner.LearnerId, message.CorrelationId);

        return StageResult.Of(new IssueOutcome(IssueOutcomeKind.Issued, record.CredentialId),
            StageMessages.ToEmails(new SendClaimEmail { CorrelationId = message.CorrelationId, CredentialId = record.CredentialId }));
    }

    /// <summary>
    /// Publishes <c>CredentialIssued</c>, then audits: the audit entry is the record that the event went out, so a
    /// retry after a crash (or a fault) between "marked issued" and "audited" publishes again (deduplicated by the
    /// event id) instead of never.
    /// </summary>
    private async Task RecordIssuedAsync(CredentialRecord record, Issuer issuer, Achievement achievement, string correlationId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await publisher.PublishAsync(new CredentialIssued
        {
            EventId = "issued:" + record.CredentialId,
            CorrelationId = correlationId,
            OccurredAt = now,
            CredentialId = record.CredentialId,
            IssuerId = issuer.Id,
            AchievementId = achievement.Id,
            LearnerId = record.LearnerId,
            VerificationUrl = issuer.Urls.Credential(record.CredentialId),
        }, cancellationToken);
        await audit.AppendAsync(new AuditEntry
        {
            EntryId = "issued:" + record.CredentialId,
            CredentialId = record.CredentialId,
            Action = "issued",
            Actor = "pipeline",
            At = now,
            Reason = $"{achievement.Id} earned by {record.LearnerId} at {CredentialDates.Format(record.AwardedAt)}",
        }, cancellationToken);
    }

    private async Task RecordIssuedIfUnrecordedAsync(CredentialRecord record, Issuer issuer, Achievement achievement, string correlationId, CancellationToken cancellationToken)
    {
        if (record.State != CredentialState.Issued)
        {
            return;
        }
        var entries = await audit.GetByCredentialAsync(record.CredentialId, cancellationToken);
        if (!entries.Any(e => e.EntryId == "issued:" + record.CredentialId))
        {
            await RecordIssuedAsync(record, issuer, achievement, correlationId, time.GetUtcNow(), cancellationToken);
        }
    }

    private async Task<CredentialRecord> ClaimAsync(IssueCredential message, Issuer issuer, CancellationToken cancellationToken)
    {
        var slot = await allocator.AllocateAsync(issuer.Id, cancellationToken);
        var (record, added) = await credentials.TryAddAsync(new CredentialRecord
        {
            CredentialId = message.CredentialId,
            IssuerId = issuer.Id,
            AchievementId = message.AchievementId,
            LearnerId = message.LearnerId,
            AwardedAt = CredentialDates.Truncate(message.AwardedAt),
            IssuedAt = CredentialDates.Truncate(time.GetUtcNow()),
            StatusListId = slot.ListId,
            StatusListIndex = slot.Index,
            RecipientSalt = RecipientIdentity.CreateSalt(),
        }, cancellationToken);
        if (!added)
        {
            Log.ClaimedElsewhere(logger, message.CredentialId, slot.ListId, slot.Index);
        }
        return record;
    }

    private async Task<OpenBadgeCredentialRequest> BuildRequestAsync(
        CredentialRecord record, Issuer issuer, Achievement achievement, LearnerProfile learner,
        IReadOnlyList<string> evidenceEventIds, CancellationToken cancellationToken)
    {
        var used = new HashSet<string>(evidenceEventIds, StringComparer.Ordinal);
        var facts = used.Count == 0
            ? []
            : (await events.GetByLearnerAsync(learner.LearnerId, cancellationToken)).Where(e => used.Contains(e.Id)).OrderBy(e => e.CompletedAt).ToList();
        var urls = issuer.Urls;
        return new OpenBadgeCredentialRequest
        {
            Issuer = issuer,
            Achievement = achievement,
            Learner = learner,
            SubjectId = RecipientIdentity.SubjectId(issuer.Id, learner.LearnerId, secrets.SubjectIdSecret.Span),
            RecipientSalt = record.RecipientSalt,
            AwardedAt = record.AwardedAt,
            ValidFrom = record.IssuedAt,
            Results = facts.Count == 1 && Result(facts[0]) is { } result ? [new CredentialResult(result)] : [],
            Evidence = [.. facts.Select(f => new CredentialEvidence { Name = catalog.DisplayActivity(f.ActivityId), Narrative = Narrative(f) })],
            CreditsEarned = achievement.CreditsAvailable,
            Status = new StatusListEntry(urls.StatusList(issuer.Id, record.StatusListId), record.StatusListIndex),
            AchievementImage = urls.AchievementImage(achievement.Id, "png"),
            IssuerImage = issuer.ImagePath is { } logo ? urls.IssuerImage(issuer.Id, Path.GetExtension(logo).TrimStart('.')) : null,
        };
    }

    private async Task WriteFilesAsync(
        string id, Issuer issuer, OpenBadgeCredentialRequest request, JsonObject credential, string jwt,
        Achievement achievement, CancellationToken cancellationToken)
    {
        var baked = BakedCredential.Ob3Jwt(jwt);
        var png = PngBakery.Bake(art.Png(achievement), baked);
        var svg = SvgBakery.Bake(Encoding.UTF8.GetString(art.Svg(achievement)), baked);
        if (!png.Succeeded || !svg.Succeeded)
        {
            throw new InvalidOperationException(
                $"Badge art of {achievement.Id} cannot be baked: {png.Error?.Message ?? svg.Error?.Message}");
        }
        // OB 2.0 backpacks unbake the assertion's image looking for an "openbadges" chunk: that image is the art baked
        // with the assertion itself (OB 2.0 Baking Specification), not the OB 3.0 PNG. No signature in it, so a retry
        // writes the same bytes.
        var ob2 = OpenBadges2Documents.Assertion(request, issuer.Urls.Ob2AssertionImage(id));
        var ob2Json = Json(ob2);
        var ob2Png = PngBakery.Bake(art.Png(achievement), BakedCredential.Ob2Json(Encoding.UTF8.GetString(ob2Json).Trim()));
        if (!ob2Png.Succeeded)
        {
            throw new InvalidOperationException($"Badge art of {achievement.Id} cannot be baked with the OB 2.0 assertion: {ob2Png.Error.Message}");
        }

        await blobs.PutAsync(Containers.Credentials, BlobNames.CredentialFile(id, "jwt"), Encoding.UTF8.GetBytes(jwt), BlobNames.ContentTypes.Jwt, cancellationToken);
        await blobs.PutAsync(Containers.Credentials, BlobNames.CredentialFile(id, "json"), Json(credential), BlobNames.ContentTypes.VcJson, cancellationToken);
        await blobs.PutAsync(Containers.Credentials, BlobNames.CredentialFile(id, "png"), png.Value, BlobNames.ContentTypes.Png, cancellationToken);
        await blobs.PutAsync(Containers.Credentials, BlobNames.CredentialFile(id, "svg"), Encoding.UTF8.GetBytes(svg.Value), BlobNames.ContentTypes.Svg, cancellationToken);
        await blobs.PutAsync(Containers.Public, BlobNames.Ob2AssertionImage(id), ob2Png.Value, BlobNames.ContentTypes.Png, cancellationToken);
        await blobs.PutAsync(Containers.Public, BlobNames.Ob2Assertion(id), ob2Json, BlobNames.ContentTypes.LdJson, cancellationToken);
    }

    private async Task<IReadOnlyList<OutgoingMessage>> ClaimEmailIfUnsentAsync(CredentialRecord record, string correlationId, CancellationToken cancellationToken)
    {
        if (record.State != CredentialState.Issued)
        {
            return [];
        }
        var claim = await claims.GetByCredentialAsync(record.CredentialId, cancellationToken);
        return claim?.SentAt is not null
            ? []
            : [StageMessages.ToEmails(new SendClaimEmail { CorrelationId = correlationId, CredentialId = record.CredentialId })];
    }

    private static string? Result(CompletionEvent completion) =>
        completion.Grade ?? completion.Score?.ToString("0.############################", CultureInfo.InvariantCulture);

    private static string Narrative(CompletionEvent completion)
    {
        var text = new StringBuilder(completion.Outcome switch
        {
            CompletionOutcome.Passed => "Passed",
            CompletionOutcome.Failed => "Attempted",
            _ => "Completed",
        });
        text.Append(CultureInfo.InvariantCulture, $" on {completion.CompletedAt.UtcDateTime:yyyy-MM-dd}");
        if (completion.Grade is { } grade)
        {
            text.Append(CultureInfo.InvariantCulture, $" with grade {grade}");
        }
        if (completion.Score is { } score)
        {
            text.Append(CultureInfo.InvariantCulture, $"{(completion.Grade is null ? " with" : ",")} score {score:0.##}");
        }
        return text.Append('.').ToString();
    }

    private static byte[] Json(JsonObject json) => DocumentJson.ToUtf8(json);
}
