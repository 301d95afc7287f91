using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Pipeline.Core.Catalog;
using Pipeline.Core.Contracts;
using Pipeline.Core.Pathways;
using Pipeline.Core.Storage;

namespace Pipeline.Core.Stages.Webhooks;

/// <summary>
/// <c>POST /webhooks/{partner}</c> (docs/integrations.md): checks size, then the signature (before reading a byte of
/// the body as JSON), then the body against the partner's payload schema; maps each item through the partner's
/// catalog entry and sends the good ones to <c>completions</c> in one batch. The results depend on the body alone:
/// a replay gets the same event ids and the same response, and the pipeline counts each fact once.
/// </summary>
public sealed class ReceiveWebhookHandler(
    PipelineCatalog catalog,
    IPartnerSecrets secrets,
    IMessageSender sender,
    TimeProvider timeProvider,
    ILogger<ReceiveWebhookHandler> logger)
{
    /// <summary>The largest body accepted: 1 MiB.</summary>
    public const int MaxBodyBytes = 1024 * 1024;

    /// <summary>The problem detail of a body over <see cref="MaxBodyBytes"/>.</summary>
    public const string TooLargeDetail = "The body is larger than 1048576 bytes (1 MiB); send fewer items per call.";

    /// <summary>Checked against for unknown partners, so they cost what a known one does and answer the same.</summary>
    private static readonly PartnerSecret[] NoPartner = [new(Convert.ToHexString(RandomNumberGenerator.GetBytes(32)), DateTimeOffset.UnixEpoch)];

    public async Task<WebhookOutcome> HandleAsync(string partnerId, string? timestamp, string? signature, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(partnerId);
        if (body.Length > MaxBodyBytes)
        {
            return Refuse(partnerId, WebhookRefusal.PayloadTooLarge, TooLargeDetail);
        }
        var partner = catalog.Partners.GetValueOrDefault(partnerId);
        IReadOnlyList<PartnerSecret> active = partner is null ? NoPartner : await secrets.GetActiveAsync(partner.Id, cancellationToken);
        if (partner is not null && active.Count == 0)
        {
            Log.NoSecret(logger, partner.Id);
            active = NoPartner;
        }
        var check = WebhookSignature.Check(timestamp, signature, body.Span, active, timeProvider.GetUtcNow());
        if (check != SignatureCheck.Valid || partner is null)
        {
            return Refuse(partnerId, check, timestamp);
        }

        if (InvalidUtf8At(body.Span) is { } offset)
        {
            // JsonDocument checks the UTF-8 of strings only when they are read: without this, a body with a bad byte
            // inside a property name or a string failed the schema check with an exception (a 500), found by fuzzing.
            return Refuse(partnerId, WebhookRefusal.MalformedJson, $"The body is not JSON: it is not UTF-8 at byte {offset + 1}.");
        }
        JsonDocument document;
        try
        {
            // Duplicate members refused: the schema check and the payload readers would otherwise each pick their own
            // (a body that passed the schema with one "learner" and was read with another crashed; found by fuzzing).
            document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 32, AllowDuplicateProperties = false });
        }
        catch (JsonException e)
        {
            return Refuse(partnerId, WebhookRefusal.MalformedJson,
                $"The body is not JSON: syntax error at line {(e.LineNumber ?? 0) + 1}, byte {(e.BytePositionInLine ?? 0) + 1}.");
        }
        using (document)
        {
            if (LoneSurrogateAt(body.Span) is { } at)
            {
                // "\ud800" is valid JSON syntax but not text: every read of that string (the schema's pattern, the
                // reader) threw InvalidOperationException, a 500.
                return Refuse(partnerId, WebhookRefusal.MalformedJson,
                    $"The body is not JSON text: the string at byte {at + 1} escapes half of a UTF-16 surrogate pair (\\uD800–\\uDFFF without its other half).");
            }
            var schema = PayloadReaders.SchemaOf(partner.Payload);
            if (ContractSchemas.FirstViolation(schema, document.RootElement) is { } violation)
            {
                return Refuse(partnerId, WebhookRefusal.SchemaViolation,
                    $"The body does not match {schema} at {(violation.JsonPointer.Length == 0 ? "/" : violation.JsonPointer)}: {violation.Message}", violation.JsonPointer);
            }
            var outcome = await AcceptAsync(partner, PayloadReaders.Read(partner, document.RootElement), cancellationToken);
            var (accepted, duplicate, rejected) = (outcome.Count(WebhookItemStatus.Accepted), outcome.Count(WebhookItemStatus.Duplicate), outcome.Count(WebhookItemStatus.Rejected));
            Log.Received(logger, partner.Id, accepted, duplicate, rejected);
            return outcome;
        }
    }

    /// <summary>The offset of the first string or property name whose escapes leave a lone surrogate, or null when none do.</summary>
    private static long? LoneSurrogateAt(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 32 });
        while (reader.Read())
        {
            if (reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName && reader.ValueIsEscaped && HasLoneSurrogate(ref reader))
            {
                return reader.TokenStartIndex;
            }
        }
        return null;
    }

    private static bool HasLoneSurrogate(ref Utf8JsonReader reader)
    {
        try
        {
            reader.GetString();
            return false;
        }
        catch (InvalidOperationException)
        {
            return true;
        }
    }

    /// <summary>The offset of the first byte that is not well-formed UTF-8, or null when all are.</summary>
    private static int? InvalidUtf8At(ReadOnlySpan<byte> bytes)
    {
        var offset = 0;
        while (offset < bytes.Length)
        {
            if (Rune.DecodeFromUtf8(bytes[offset..], out _, out var consumed) != OperationStatus.Done)
            {
                return offset;
            }
            offset += consumed;
        }
        return null;
    }

    private async Task<WebhookOutcome.Received> AcceptAsync(Partner partner, IReadOnlyList<PayloadItem> items, CancellationToken cancellationToken)
    {
        var results = new List<WebhookItemResult>(items.Count);
        var messages = new List<OutgoingMessage>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var index = 0; index < items.Count; index++)
        {
            switch (Map(partner, items[index]))
            {
                case RecordCompletion message when seen.Add(message.Completion.Id):
                    messages.Add(StageMessages.ToCompletions(message));
                    results.Add(new WebhookItemResult(index, WebhookItemStatus.Accepted, message.Completion.Id, null));
                    break;
                case RecordCompletion message:
                    results.Add(new WebhookItemResult(index, WebhookItemStatus.Duplicate, message.Completion.Id, "the same completion appears earlier in this delivery"));
                    break;
                case string reason:
                    results.Add(new WebhookItemResult(index, WebhookItemStatus.Rejected, null, reason));
                    break;
            }
        }
        if (messages.Count > 0)
        {
            await sender.SendBatchAsync(messages, cancellationToken);
        }
        return new WebhookOutcome.Received(partner.Id, results);
    }

    /// <summary>The message for an item, or why it is rejected.</summary>
    private object Map(Partner partner, PayloadItem item)
    {
        if (item is not PayloadItem.Completion c)
        {
            return ((PayloadItem.NotACompletion)item).Reason;
        }
        if (partner.Learners.Resolve(c.LearnerId) is not { } learnerId)
        {
            return $"unknown learner \"{c.LearnerId}\": not in the partner's learner map";
        }
        string? email = c.Email?.Trim().ToLowerInvariant();
        if (partner.EmailIsLearnerId)
        {
            learnerId = (email ?? learnerId).Trim().ToLowerInvariant();
            email = learnerId;
        }
        email ??= partner.EmailDomain is { } domain ? $"{learnerId}@{domain}" : null;
        if (email is null)
        {
            return $"no email address for learner \"{c.LearnerId}\": send one, or configure emailDomain for the partner";
        }
        if (!EmailAddresses.IsPlausible(email))
        {
            return $"email address \"{email}\" of learner \"{c.LearnerId}\" is not an address a claim email can be sent to (expected local@domain, like ada@example.edu)";
        }
        if (partner.Activities.Resolve(c.ActivityId) is not { } activityId)
        {
            return $"unknown activity \"{c.ActivityId}\": not in the partner's activity map";
        }
        if (!catalog.IsPathwayActivity(activityId))
        {
            return activityId == c.ActivityId
                ? $"unknown activity \"{activityId}\": no pathway in the catalog names it"
                : $"unknown activity \"{c.ActivityId}\" (ours: \"{activityId}\"): no pathway in the catalog names it";
        }
        var completion = new CompletionEvent
        {
            Source = "webhook:" + partner.Id,
            LearnerId = learnerId,
            ActivityId = activityId,
            CompletedAt = c.CompletedAt,
            Outcome = c.Outcome,
            Grade = c.Grade,
            Score = c.Score,
        };
        return new RecordCompletion
        {
            CorrelationId = $"webhook:{partner.Id}:{completion.Id}",
            Completion = completion,
            Learner = new LearnerProfile { LearnerId = learnerId, Email = email, GivenName = c.GivenName, FamilyName = c.FamilyName },
        };
    }

    private WebhookOutcome.Refused Refuse(string partnerId, SignatureCheck check, string? timestamp) => check switch
    {
        SignatureCheck.MissingTimestamp => Refuse(partnerId, WebhookRefusal.MissingHeader, $"The {WebhookSignature.TimestampHeader} header is missing: send the Unix time in seconds you signed."),
        SignatureCheck.MissingSignature => Refuse(partnerId, WebhookRefusal.MissingHeader, $"The {WebhookSignature.SignatureHeader} header is missing: send sha256=<hex HMAC-SHA256 of timestamp + \".\" + body>."),
        SignatureCheck.MalformedTimestamp => Refuse(partnerId, WebhookRefusal.MalformedHeader, $"The {WebhookSignature.TimestampHeader} header must be the Unix time in whole seconds, like 1766016000."),
        SignatureCheck.MalformedSignature => Refuse(partnerId, WebhookRefusal.MalformedHeader, $"The {WebhookSignature.SignatureHeader} header must be \"sha256=\" followed by 64 hex digits."),
        SignatureCheck.StaleTimestamp => Refuse(partnerId, WebhookRefusal.StaleTimestamp,
            $"The timestamp {timestamp} is more than {WebhookSignature.Tolerance.TotalMinutes:0} minutes from the server's time ({timeProvider.GetUtcNow().ToUnixTimeSeconds()}); sign with the current time."),
        _ => Refuse(partnerId, WebhookRefusal.BadSignature,
            "The signature does not match the body with any active secret of this partner. Sign the exact bytes you send: HMAC-SHA256(secret, timestamp + \".\" + body)."),
    };

    private WebhookOutcome.Refused Refuse(string partnerId, WebhookRefusal reason, string detail, string? pointer = null)
    {
        Log.Refused(logger, partnerId, reason);
        return new WebhookOutcome.Refused(reason, detail, pointer);
    }
}
