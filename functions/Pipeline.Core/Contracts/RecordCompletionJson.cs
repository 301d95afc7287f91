using System.Buffers;
using System.Text;
using System.Text.Json;
using Pipeline.Core.Catalog;
using Pipeline.Core.Pathways;

namespace Pipeline.Core.Contracts;

/// <summary>
/// Writes a <see cref="RecordCompletion"/> exactly as <see cref="ContractsJsonContext"/> does, byte for byte, but with
/// the completion's event id given rather than derived again: SIS ingest derives it once per row for duplicate
/// detection, and the serializer would hash the row a second time (the id is a computed property it writes).
/// </summary>
internal static class RecordCompletionJson
{
    private static readonly JsonEncodedText SchemaVersion = JsonEncodedText.Encode("schemaVersion");
    private static readonly JsonEncodedText CorrelationId = JsonEncodedText.Encode("correlationId");
    private static readonly JsonEncodedText Completion = JsonEncodedText.Encode("completion");
    private static readonly JsonEncodedText Source = JsonEncodedText.Encode("source");
    private static readonly JsonEncodedText LearnerId = JsonEncodedText.Encode("learnerId");
    private static readonly JsonEncodedText ActivityId = JsonEncodedText.Encode("activityId");
    private static readonly JsonEncodedText CompletedAt = JsonEncodedText.Encode("completedAt");
    private static readonly JsonEncodedText Outcome = JsonEncodedText.Encode("outcome");
    private static readonly JsonEncodedText Grade = JsonEncodedText.Encode("grade");
    private static readonly JsonEncodedText Score = JsonEncodedText.Encode("score");
    private static readonly JsonEncodedText Id = JsonEncodedText.Encode("id");
    private static readonly JsonEncodedText Learner = JsonEncodedText.Encode("learner");
    private static readonly JsonEncodedText Email = JsonEncodedText.Encode("email");
    private static readonly JsonEncodedText GivenName = JsonEncodedText.Encode("givenName");
    private static readonly JsonEncodedText FamilyName = JsonEncodedText.Encode("familyName");
    private static readonly JsonEncodedText DisplayName = JsonEncodedText.Encode("displayName");

    /// <summary>One writer and buffer per thread, reused: a message is under a kilobyte.</summary>
    [ThreadStatic]
    private static (ArrayBufferWriter<byte> Buffer, Utf8JsonWriter Json)? t_writer;

    /// <summary>The message's JSON; <paramref name="eventId"/> must be <c>message.Completion.Id</c>.</summary>
    public static string Serialize(RecordCompletion message, string eventId)
    {
        ArgumentNullException.ThrowIfNull(message);
        var (buffer, json) = t_writer ??= Create();
        buffer.ResetWrittenCount();
        json.Reset(buffer);
        json.WriteStartObject();
        json.WriteNumber(SchemaVersion, message.SchemaVersion);
        json.WriteString(CorrelationId, message.CorrelationId);

        var completion = message.Completion;
        json.WriteStartObject(Completion);
        json.WriteString(Source, completion.Source);
        json.WriteString(LearnerId, completion.LearnerId);
        json.WriteString(ActivityId, completion.ActivityId);
        json.WriteString(CompletedAt, completion.CompletedAt);
        WriteOutcome(json, completion.Outcome);
        if (completion.Grade is { } grade)
        {
            json.WriteString(Grade, grade);
        }
        if (completion.Score is { } score)
        {
            json.WriteNumber(Score, score);
        }
        json.WriteString(Id, eventId);
        json.WriteEndObject();

        var learner = message.Learner;
        json.WriteStartObject(Learner);
        json.WriteString(LearnerId, learner.LearnerId);
        json.WriteString(Email, learner.Email);
        if (learner.GivenName is { } given)
        {
            json.WriteString(GivenName, given);
        }
        if (learner.FamilyName is { } family)
        {
            json.WriteString(FamilyName, family);
        }
        json.WriteString(DisplayName, learner.DisplayName);
        json.WriteEndObject();

        json.WriteEndObject();
        json.Flush();
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    // As the serializer's string enum converter: the member's name, or the number of a value that has none.
    private static void WriteOutcome(Utf8JsonWriter json, CompletionOutcome outcome)
    {
        switch (outcome)
        {
            case CompletionOutcome.Completed:
                json.WriteString(Outcome, nameof(CompletionOutcome.Completed));
                break;
            case CompletionOutcome.Passed:
                json.WriteString(Outcome, nameof(CompletionOutcome.Passed));
                break;
            case CompletionOutcome.Failed:
                json.WriteString(Outcome, nameof(CompletionOutcome.Failed));
                break;
            default:
                json.WriteNumber(Outcome, (int)outcome);
                break;
        }
    }

    private static (ArrayBufferWriter<byte>, Utf8JsonWriter) Create()
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        return (buffer, new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = ContractsJsonContext.Default.Options.Encoder }));
    }
}
