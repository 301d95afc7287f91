using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Pipeline.Core.Storage;

namespace Pipeline.Core.Contracts;

/// <summary>
/// A queue message that can never succeed: not JSON, not the contract, an unsupported schema version. Hosts move
/// it to the poison queue at once, with <see cref="Exception.Message"/> as the reason, instead of retrying it.
/// </summary>
public sealed class InvalidMessageException : Exception
{
    public InvalidMessageException()
    {
    }

    public InvalidMessageException(string message)
        : base(message)
    {
    }

    public InvalidMessageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>A message that violates its published schema at <paramref name="jsonPointer"/>.</summary>
    public InvalidMessageException(string message, string jsonPointer)
        : base(message)
    {
        JsonPointer = jsonPointer;
    }

    /// <summary>Where in the message the (first) violation is, when known.</summary>
    public string? JsonPointer { get; }
}

/// <summary>Encodes and decodes the stage messages with <see cref="ContractsJsonContext"/>.</summary>
public static class StageMessages
{
    public static OutgoingMessage ToCompletions(RecordCompletion message) =>
        new(Queues.Completions, JsonSerializer.Serialize(message, ContractsJsonContext.Default.RecordCompletion));

    public static OutgoingMessage ToIssuance(IssueCredential message) =>
        new(Queues.Issuance, JsonSerializer.Serialize(message, ContractsJsonContext.Default.IssueCredential));

    public static OutgoingMessage ToEmails(SendClaimEmail message) =>
        new(Queues.Emails, JsonSerializer.Serialize(message, ContractsJsonContext.Default.SendClaimEmail));

    public static OutgoingMessage ToClaimResends(ResendClaimLinks message) =>
        new(Queues.ClaimResends, JsonSerializer.Serialize(message, ContractsJsonContext.Default.ResendClaimLinks));

    /// <summary>
    /// Decodes a <c>completions</c> message: JSON, then its version, then the published schema
    /// (docs/schemas/record-completion.v1.schema.json); a violation names its JSON pointer. A message that passes the
    /// hand-written <see cref="RecordCompletionV1Check"/> matches the schema and skips the full evaluation; any other
    /// is evaluated in full, which words the error.
    /// </summary>
    /// <exception cref="InvalidMessageException">The message can never succeed; the dispatcher poisons it at once.</exception>
    public static RecordCompletion DecodeRecordCompletion(string body)
    {
        ValidateSchema(body);
        var message = Decode(body, ContractsJsonContext.Default.RecordCompletion, RecordCompletion.CurrentSchemaVersion, m => m.SchemaVersion);
        var problems = new List<string>();
        Require(problems, message.CorrelationId, "/correlationId");
        Require(problems, message.Completion.Source, "/completion/source");
        Require(problems, message.Completion.LearnerId, "/completion/learnerId");
        Require(problems, message.Completion.ActivityId, "/completion/activityId");
        Require(problems, message.Learner.LearnerId, "/learner/learnerId");
        Require(problems, message.Learner.Email, "/learner/email");
        if (message.Completion.CompletedAt == default)
        {
            problems.Add("/completion/completedAt: expected an ISO 8601 date-time with offset, found none");
        }
        if (!string.Equals(message.Completion.LearnerId.Trim(), message.Learner.LearnerId.Trim(), StringComparison.Ordinal))
        {
            problems.Add($"/learner/learnerId: expected the completion's learner \"{message.Completion.LearnerId}\", found \"{message.Learner.LearnerId}\"");
        }
        if (!string.IsNullOrWhiteSpace(message.Learner.Email) && !message.Learner.Email.Contains('@', StringComparison.Ordinal))
        {
            problems.Add($"/learner/email: expected an email address, found \"{message.Learner.Email}\"");
        }
        Check(problems, message.Completion.LearnerId, "/completion/learnerId", TextFields.MaxIdLength);
        Check(problems, message.Completion.ActivityId, "/completion/activityId", TextFields.MaxIdLength);
        Check(problems, message.Completion.Grade, "/completion/grade", TextFields.MaxGradeLength);
        Check(problems, message.Learner.LearnerId, "/learner/learnerId", TextFields.MaxIdLength);
        var given = Check(problems, message.Learner.GivenName, "/learner/givenName", TextFields.MaxNameLength);
        var family = Check(problems, message.Learner.FamilyName, "/learner/familyName", TextFields.MaxNameLength);
        return problems.Count == 0
            ? message with { Learner = message.Learner with { GivenName = given, FamilyName = family } }
            : throw new InvalidMessageException("completions message is invalid: " + string.Join("; ", problems));
    }

    /// <summary>A text field by the one rule for outside text (<see cref="TextFields"/>): normalised, or a problem.</summary>
    private static string? Check(List<string> problems, string? value, string pointer, int maxLength)
    {
        if (value is null)
        {
            return null;
        }
        if (TextFields.Normalise(value, maxLength, out var problem) is { } normalised)
        {
            return normalised;
        }
        problems.Add($"{pointer}: expected {problem}, found \"{TextFields.Visible(value)}\"");
        return value;
    }

    private static void ValidateSchema(string body)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException e)
        {
            throw new InvalidMessageException($"RecordCompletion message is not JSON: {e.Message}", e);
        }
        using (document)
        {
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("schemaVersion", out var version)
                && !(version.ValueKind == JsonValueKind.Number && version.TryGetInt32(out var v) && v == RecordCompletion.CurrentSchemaVersion))
            {
                throw new InvalidMessageException(
                    $"RecordCompletion message has schemaVersion {version.GetRawText()}; this version of the pipeline reads {RecordCompletion.CurrentSchemaVersion}.", "/schemaVersion");
            }
            if (!RecordCompletionV1Check.Matches(document.RootElement)
                && ContractSchemas.FirstViolation(ContractSchemas.RecordCompletionV1, document.RootElement) is { } violation)
            {
                throw new InvalidMessageException(
                    $"completions message is invalid: {violation} (schema {ContractSchemas.RecordCompletionV1})", violation.JsonPointer);
            }
        }
    }

    public static IssueCredential DecodeIssueCredential(string body) =>
        Decode(body, ContractsJsonContext.Default.IssueCredential, IssueCredential.CurrentSchemaVersion, m => m.SchemaVersion);

    public static SendClaimEmail DecodeSendClaimEmail(string body) =>
        Decode(body, ContractsJsonContext.Default.SendClaimEmail, SendClaimEmail.CurrentSchemaVersion, m => m.SchemaVersion);

    /// <summary>Decodes a <c>claim-resends</c> message; one without an address can never succeed.</summary>
    /// <exception cref="InvalidMessageException">The message can never succeed; the dispatcher poisons it at once.</exception>
    public static ResendClaimLinks DecodeResendClaimLinks(string body)
    {
        var message = Decode(body, ContractsJsonContext.Default.ResendClaimLinks, ResendClaimLinks.CurrentSchemaVersion, m => m.SchemaVersion);
        return string.IsNullOrWhiteSpace(message.Email)
            ? throw new InvalidMessageException("claim-resends message is invalid: /email: expected an email address, found none")
            : message;
    }

    private static T Decode<T>(string body, JsonTypeInfo<T> typeInfo, int supportedVersion, Func<T, int> version)
        where T : class
    {
        T? message;
        try
        {
            message = JsonSerializer.Deserialize(body, typeInfo);
        }
        catch (JsonException e)
        {
            var where = e.Path is { Length: > 0 } path ? $" at {path}" : string.Empty;
            throw new InvalidMessageException($"{typeof(T).Name} message is not valid JSON of its contract{where}: {e.Message}", e);
        }
        if (message is null)
        {
            throw new InvalidMessageException($"{typeof(T).Name} message is empty (JSON null).");
        }
        if (version(message) != supportedVersion)
        {
            throw new InvalidMessageException(
                $"{typeof(T).Name} message has schemaVersion {version(message)}; this version of the pipeline reads {supportedVersion}.");
        }
        return message;
    }

    private static void Require(List<string> problems, string? value, string pointer)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            problems.Add($"{pointer}: expected a non-empty string, found none");
        }
    }
}
