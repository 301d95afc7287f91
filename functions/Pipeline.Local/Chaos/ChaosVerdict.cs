using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging.Abstractions;
using MimeKit;
using Pipeline.Core.Catalog;
using Pipeline.Core.Contracts;
using Pipeline.Core.Credentials;
using Pipeline.Core.Http;
using Pipeline.Core.Pathways;
using Pipeline.Core.Stages.Ingest;
using Pipeline.Core.Storage;
using Pipeline.Local.Hosting;
using Pipeline.Local.Storage;

namespace Pipeline.Local.Chaos;

/// <summary>
/// The pipeline's state after a chaos run, checked against the truth computed from the input alone: the term file is
/// parsed in a scratch folder, each learner's accepted rows are evaluated with <see cref="PathwayEvaluator"/>, and
/// every earned credential must be issued exactly once (one ledger row, one set of files, one status slot), with
/// exactly one email whose claim link works; every accepted row must be in the event ledger or poisoned with a
/// reason; no file in <c>credentials/</c> may belong to no ledger row.
/// </summary>
internal sealed partial record ChaosVerdict
{
    public required int AcceptedRows { get; init; }
    public required int CredentialsExpected { get; init; }
    public required int CredentialsIssued { get; init; }
    public required int EmailsExpected { get; init; }
    public required int EmailsSent { get; init; }
    public required int PoisonRemaining { get; init; }
    public required IReadOnlyList<string> Violations { get; init; }

    public bool Holds => Violations.Count == 0;

    private static readonly string[] CredentialFiles = ["jwt", "json", "png", "svg"];

    public static async Task<ChaosVerdict> CheckAsync(LocalPaths paths, PipelineCatalog catalog, string termFile, CancellationToken cancellationToken)
    {
        var violations = new List<string>();
        var accepted = await AcceptedRowsAsync(catalog, termFile, cancellationToken);
        var evaluator = new PathwayEvaluator(catalog);
        var expected = new HashSet<string>(StringComparer.Ordinal);
        foreach (var learner in accepted.GroupBy(c => c.LearnerId.Trim(), StringComparer.Ordinal))
        {
            var facts = learner.DistinctBy(c => c.Id).ToList();
            foreach (var award in evaluator.Evaluate(new LearnerProgress(learner.Key, facts)))
            {
                var achievement = catalog.Achievements[award.AchievementId];
                expected.Add(CredentialId.Compute(achievement.IssuerId, achievement.Id, learner.Key, awardPeriod: null).Value);
            }
        }

        using var database = await SqliteDatabase.OpenAsync(paths.DataFolder, cancellationToken);
        await using var connection = await database.OpenReadConnectionAsync(cancellationToken);
        var credentials = await connection.QueryAsync(
            "SELECT credential_id, state, status_list_id, status_list_index, issuer_id FROM credentials;",
            r => (Id: r.GetString(0), State: r.GetString(1), Slot: $"{r.GetString(4)}/{r.GetString(2)}/{r.GetInt64(3)}"),
            cancellationToken);
        var issued = credentials.Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var missing in expected.Except(issued))
        {
            violations.Add($"credential {missing} was earned but is not in the ledger");
        }
        foreach (var extra in issued.Except(expected))
        {
            violations.Add($"credential {extra} is in the ledger but was not earned");
        }
        foreach (var notIssued in credentials.Where(c => c.State != nameof(CredentialState.Issued)))
        {
            violations.Add($"credential {notIssued.Id} is {notIssued.State}, not Issued");
        }
        foreach (var shared in credentials.GroupBy(c => c.Slot).Where(g => g.Count() > 1))
        {
            violations.Add($"status slot {shared.Key} is shared by {string.Join(", ", shared.Select(c => c.Id))}");
        }

        var files = Directory.Exists(Path.Combine(paths.Blobs, Containers.Credentials))
            ? Directory.EnumerateFiles(Path.Combine(paths.Blobs, Containers.Credentials), "*", SearchOption.AllDirectories).Select(Path.GetFileName).OfType<string>().ToList()
            : [];
        var wanted = issued.SelectMany(id => CredentialFiles.Select(ext => BlobNames.CredentialFile(id, ext))).ToHashSet(StringComparer.Ordinal);
        foreach (var orphan in files.Where(f => !wanted.Contains(f)))
        {
            violations.Add($"credentials/{orphan} belongs to no ledger row");
        }
        foreach (var absent in wanted.Except(files, StringComparer.Ordinal))
        {
            violations.Add($"credentials/{absent} is missing");
        }
        foreach (var blob in issued.SelectMany(id => new[] { BlobNames.Ob2Assertion(id), BlobNames.Ob2AssertionImage(id) })
            .Where(blob => !File.Exists(Path.Combine(paths.Blobs, Containers.Public, blob))))
        {
            violations.Add($"public/{blob} is missing");
        }

        var claims = (await connection.QueryAsync(
            "SELECT credential_id, token_hash, sent_at FROM claims;",
            r => (Id: r.GetString(0), Hash: r.GetString(1), Sent: !r.IsDBNull(2)),
            cancellationToken)).ToDictionary(c => c.Id, StringComparer.Ordinal);
        var emails = Directory.Exists(paths.Outbox) ? Directory.GetFiles(paths.Outbox, "*.eml") : [];
        var emailed = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var file in emails)
        {
            using var message = await MimeMessage.LoadAsync(file, cancellationToken);
            var credentialId = (message.MessageId ?? string.Empty).Split('@')[0];
            emailed[credentialId] = emailed.GetValueOrDefault(credentialId) + 1;
            var link = ClaimLink().Match(message.TextBody ?? string.Empty);
            if (!link.Success)
            {
                violations.Add($"{Path.GetFileName(file)} has no claim link");
            }
            else if (!claims.TryGetValue(credentialId, out var claim) || claim.Hash != ClaimTokens.Hash(Uri.UnescapeDataString(link.Groups["token"].Value)))
            {
                violations.Add($"{Path.GetFileName(file)}: its claim link's token is not the one the claims ledger holds for {credentialId}");
            }
        }
        foreach (var id in issued)
        {
            var count = emailed.GetValueOrDefault(id);
            if (count != 1)
            {
                violations.Add(string.Create(CultureInfo.InvariantCulture, $"credential {id} has {count} emails"));
            }
            if (!claims.TryGetValue(id, out var claim) || !claim.Sent)
            {
                violations.Add($"credential {id}: the claims ledger does not record its email as sent");
            }
        }
        foreach (var stray in emailed.Keys.Where(id => !issued.Contains(id)))
        {
            violations.Add($"an email was sent for {stray}, which is not in the ledger");
        }
        var published = await connection.ScalarAsync<long>("SELECT COUNT(*) FROM integration_events WHERE event_id LIKE 'issued:%';", cancellationToken);
        if (published != issued.Count)
        {
            violations.Add(string.Create(CultureInfo.InvariantCulture, $"{published} CredentialIssued events for {issued.Count} credentials"));
        }

        var recorded = (await connection.QueryAsync("SELECT event_id FROM events;", r => r.GetString(0), cancellationToken)).ToHashSet(StringComparer.Ordinal);
        var poison = await connection.QueryAsync(
            "SELECT queue, body, poison_reason FROM queue_messages WHERE queue LIKE '%-poison';",
            r => (Queue: r.GetString(0), Body: r.GetString(1), Reason: r.IsDBNull(2) ? null : r.GetString(2)),
            cancellationToken);
        foreach (var row in accepted.DistinctBy(c => c.Id).Where(c => !recorded.Contains(c.Id)))
        {
            var poisoned = poison.FirstOrDefault(p => p.Body.Contains(row.Id, StringComparison.Ordinal) || p.Body.Contains($"\"{row.LearnerId}\"", StringComparison.Ordinal));
            if (poisoned.Reason is null)
            {
                violations.Add($"accepted row {row.Id} ({row.LearnerId} {row.ActivityId}) is neither recorded nor poisoned with a reason");
            }
        }

        return new ChaosVerdict
        {
            AcceptedRows = accepted.Count,
            CredentialsExpected = expected.Count,
            CredentialsIssued = credentials.Count,
            EmailsExpected = expected.Count,
            EmailsSent = emails.Length,
            PoisonRemaining = poison.Count,
            Violations = violations,
        };
    }

    private static async Task<List<CompletionEvent>> AcceptedRowsAsync(PipelineCatalog catalog, string termFile, CancellationToken cancellationToken)
    {
        var scratch = Directory.CreateTempSubdirectory("pipeline-chaos-truth-");
        try
        {
            var blobs = new FolderBlobStore(scratch.FullName);
            await blobs.PutAsync(Containers.SisInbox, Cli.DemoCommand.TermFile, await File.ReadAllBytesAsync(termFile, cancellationToken), "text/csv", cancellationToken);
            var reader = new IngestSisFileHandler(blobs, NoMessages.Instance,
                new SisIngestOptions { Maps = catalog.SisMaps, IsKnownActivity = catalog.IsPathwayActivity },
                TimeProvider.System, NullLogger<IngestSisFileHandler>.Instance);
            var accepted = new List<CompletionEvent>();
            await foreach (var row in reader.DryRunAsync(Containers.SisInbox, Cli.DemoCommand.TermFile, cancellationToken))
            {
                if (row is SisRowResult.Accepted a)
                {
                    accepted.Add(a.Message.Completion);
                }
            }
            return accepted;
        }
        finally
        {
            scratch.Delete(recursive: true);
        }
    }

    [GeneratedRegex(@"https?://\S+/claim/(?<token>[A-Za-z0-9_%-]+)")]
    private static partial Regex ClaimLink();

    private sealed class NoMessages : IMessageSender
    {
        public static readonly NoMessages Instance = new();

        public Task SendAsync(OutgoingMessage message, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("Computing the truth sends no messages.");

        public Task SendBatchAsync(IReadOnlyList<OutgoingMessage> messages, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("Computing the truth sends no messages.");
    }
}
