using System.Globalization;
using System.Text.RegularExpressions;
using Azure.Data.Tables;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Queues;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Pipeline.Azure.Storage;
using Pipeline.Core.Catalog;
using Pipeline.Core.Contracts;
using Pipeline.Core.Credentials;
using Pipeline.Core.Http;
using Pipeline.Core.Pathways;
using Pipeline.Core.Stages.Ingest;
using Pipeline.Core.Storage;

namespace Pipeline.Functions.Tests.Chaos;

/// <summary>
/// The storage account after an Azure chaos run, checked against the truth computed from the input alone (as the
/// embedded run's <c>ChaosVerdict</c>): the term file is read by the ingest reader's dry run, each learner's accepted
/// rows are evaluated with <see cref="PathwayEvaluator"/>, and every earned credential must have exactly one row in
/// the credentials table, <c>Issued</c>, exactly its files in <c>credentials/</c> and its OB 2.0 assertion, a status
/// slot of its own, exactly one delivered email whose claim link's token hashes to what the claims table holds, one
/// accepted <c>CredentialIssued</c>; every accepted row must be in the events table or poisoned with a reason; no
/// blob in <c>credentials/</c> or <c>public/ob2/assertions/</c> may belong to no row.
/// </summary>
internal sealed partial record AzureChaosVerdict
{
    public required int AcceptedRows { get; init; }
    public required int CredentialsExpected { get; init; }
    public required int CredentialsIssued { get; init; }
    public required int EmailsExpected { get; init; }
    public required int EmailsSent { get; init; }
    public required int PoisonRemaining { get; init; }
    public required IReadOnlyList<string> Violations { get; init; }

    private static readonly string[] CredentialFiles = ["jwt", "json", "png", "svg"];
    private static readonly string AssertionFolder = BlobNames.Ob2Assertion("x")[..^"x.json".Length];

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"accepted rows={AcceptedRows} credentials expected={CredentialsExpected} issued={CredentialsIssued} emails expected={EmailsExpected} sent={EmailsSent} poison left={PoisonRemaining} violations={Violations.Count}");

    public static async Task<AzureChaosVerdict> CheckAsync(string connectionString, string keyFolder, PipelineCatalog catalog, byte[] term, Action<string> progress, CancellationToken cancellationToken)
    {
        var violations = new List<string>();
        var accepted = await AcceptedRowsAsync(catalog, term, cancellationToken);
        var evaluator = new PathwayEvaluator(catalog);
        var expected = new HashSet<string>(StringComparer.Ordinal);
        foreach (var learner in accepted.GroupBy(c => c.LearnerId.Trim(), StringComparer.Ordinal))
        {
            foreach (var award in evaluator.Evaluate(new LearnerProgress(learner.Key, learner.DistinctBy(c => c.Id).ToList())))
            {
                var achievement = catalog.Achievements[award.AchievementId];
                expected.Add(CredentialId.Compute(achievement.IssuerId, achievement.Id, learner.Key, awardPeriod: null).Value);
            }
        }

        // The account read through a calm life of the app (no faults), and its tables directly where no port lists.
        await using var app = await ChaosApp.StartAsync(connectionString, keyFolder, faults: null, cancellationToken);
        var services = app.Services;
        var world = app.World;
        var tables = services.GetRequiredService<PipelineTables>();
        var rows = new List<(string Id, string State, string Slot)>();
        await foreach (var row in tables.Credentials.QueryAsync<TableEntity>(cancellationToken: cancellationToken))
        {
            rows.Add((row.GetString("CredentialId"), row.GetString("State"),
                string.Create(CultureInfo.InvariantCulture, $"{row.GetString("IssuerId")}/{row.GetString("StatusListId")}/{row.GetInt32("StatusListIndex")}")));
        }
        foreach (var twice in rows.GroupBy(r => r.Id, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            violations.Add(string.Create(CultureInfo.InvariantCulture, $"credential {twice.Key} has {twice.Count()} table rows"));
        }
        var issued = rows.Select(r => r.Id).ToHashSet(StringComparer.Ordinal);
        violations.AddRange(expected.Except(issued).Select(id => $"credential {id} was earned but is not in the ledger"));
        violations.AddRange(issued.Except(expected).Select(id => $"credential {id} is in the ledger but was not earned"));
        violations.AddRange(rows.Where(r => r.State != nameof(CredentialState.Issued)).Select(r => $"credential {r.Id} is {r.State}, not Issued"));
        violations.AddRange(rows.GroupBy(r => r.Slot, StringComparer.Ordinal).Where(g => g.Count() > 1)
            .Select(g => $"status slot {g.Key} is shared by {string.Join(", ", g.Select(r => r.Id))}"));

        var blobs = services.GetRequiredService<IBlobStore>();
        var files = new List<string>();
        await foreach (var name in blobs.ListAsync(Containers.Credentials, cancellationToken))
        {
            files.Add(name);
        }
        var wanted = issued.SelectMany(id => CredentialFiles.Select(ext => BlobNames.CredentialFile(id, ext))).ToHashSet(StringComparer.Ordinal);
        violations.AddRange(files.Where(f => !wanted.Contains(f)).Select(f => $"credentials/{f} belongs to no ledger row"));
        violations.AddRange(wanted.Except(files, StringComparer.Ordinal).Select(f => $"credentials/{f} is missing"));
        var assertions = new List<string>();
        await foreach (var name in blobs.ListAsync(Containers.Public, cancellationToken))
        {
            if (name.StartsWith(AssertionFolder, StringComparison.Ordinal))
            {
                assertions.Add(name);
            }
        }
        var wantedAssertions = issued.SelectMany(id => new[] { BlobNames.Ob2Assertion(id), BlobNames.Ob2AssertionImage(id) }).ToHashSet(StringComparer.Ordinal);
        violations.AddRange(assertions.Where(a => !wantedAssertions.Contains(a)).Select(a => $"public/{a} belongs to no ledger row"));
        violations.AddRange(wantedAssertions.Except(assertions, StringComparer.Ordinal).Select(a => $"public/{a} is missing"));

        var claims = services.GetRequiredService<IClaimLedger>();
        var emails = new List<DeliveredEmail>();
        await foreach (var blob in world.Mail.GetBlobsAsync(cancellationToken: cancellationToken))
        {
            var content = (await world.Mail.GetBlobClient(blob.Name).DownloadContentAsync(cancellationToken)).Value.Content;
            emails.Add(content.ToObjectFromJson<DeliveredEmail>() ?? throw new InvalidOperationException($"{blob.Name} is not an email."));
        }
        var emailed = emails.GroupBy(e => e.MessageId.Split('@')[0], StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        foreach (var id in issued)
        {
            var claim = await claims.GetByCredentialAsync(id, cancellationToken);
            if (claim?.SentAt is null)
            {
                violations.Add($"credential {id}: the claims table does not record its email as sent");
            }
            if (emailed.GetValueOrDefault(id) is not [var email])
            {
                violations.Add(string.Create(CultureInfo.InvariantCulture, $"credential {id} has {emailed.GetValueOrDefault(id)?.Count ?? 0} emails"));
                continue;
            }
            var link = ClaimLink().Match(email.TextBody);
            if (!link.Success)
            {
                violations.Add($"the email for {id} has no claim link");
            }
            else if (claim is null || claim.TokenHash != ClaimTokens.Hash(Uri.UnescapeDataString(link.Groups["token"].Value)))
            {
                violations.Add($"the email for {id}: its claim link's token is not the one the claims table holds");
            }
        }
        violations.AddRange(emailed.Keys.Where(id => !issued.Contains(id)).Select(id => $"an email was sent for {id}, which is not in the ledger"));

        var announced = new Dictionary<string, int>(StringComparer.Ordinal);
        await foreach (var blob in world.Topic.GetBlobsAsync(new GetBlobsOptions { Traits = BlobTraits.Metadata }, cancellationToken))
        {
            if (blob.Metadata.TryGetValue("eventType", out var type) && type == nameof(CredentialIssued))
            {
                var id = ChaosTopic.CredentialIdOf((await world.Topic.GetBlobClient(blob.Name).DownloadContentAsync(cancellationToken)).Value.Content);
                announced[id] = announced.GetValueOrDefault(id) + 1;
            }
        }
        foreach (var id in issued.Where(id => announced.GetValueOrDefault(id) != 1))
        {
            violations.Add(string.Create(CultureInfo.InvariantCulture, $"credential {id} has {announced.GetValueOrDefault(id)} CredentialIssued events"));
        }

        var poison = new List<string>();
        var queues = services.GetRequiredService<QueueServiceClient>();
        foreach (var queue in Queues.All)
        {
            var messages = (await queues.GetQueueClient(queue + Queues.PoisonSuffix).PeekMessagesAsync(32, cancellationToken)).Value;
            poison.AddRange(messages.Select(m => m.Body.ToString()));
        }
        var ledger = services.GetRequiredService<IEventLedger>();
        foreach (var learner in accepted.DistinctBy(c => c.Id).GroupBy(c => c.LearnerId, StringComparer.Ordinal))
        {
            var recorded = (await ledger.GetByLearnerAsync(learner.Key, cancellationToken)).Select(e => e.Id).ToHashSet(StringComparer.Ordinal);
            foreach (var row in learner.Where(c => !recorded.Contains(c.Id)))
            {
                var poisoned = poison.FirstOrDefault(body => body.Contains(row.Id, StringComparison.Ordinal) || body.Contains($"\"{row.LearnerId}\"", StringComparison.Ordinal));
                if (poisoned is null || await world.FailureOfAsync(poisoned, cancellationToken) is not { } reason)
                {
                    violations.Add($"accepted row {row.Id} ({row.LearnerId} {row.ActivityId}) is neither recorded nor poisoned with a reason");
                }
                else
                {
                    progress($"accepted row {row.Id} is poisoned: {reason}");
                }
            }
        }

        return new AzureChaosVerdict
        {
            AcceptedRows = accepted.Count,
            CredentialsExpected = expected.Count,
            CredentialsIssued = rows.Count,
            EmailsExpected = expected.Count,
            EmailsSent = emails.Count,
            PoisonRemaining = poison.Count,
            Violations = violations,
        };
    }

    private static async Task<List<CompletionEvent>> AcceptedRowsAsync(PipelineCatalog catalog, byte[] term, CancellationToken cancellationToken)
    {
        var reader = new IngestSisFileHandler(new TermFileOnly(term), NoMessages.Instance,
            new SisIngestOptions { Maps = catalog.SisMaps, IsKnownActivity = catalog.IsPathwayActivity },
            TimeProvider.System, NullLogger<IngestSisFileHandler>.Instance);
        var accepted = new List<CompletionEvent>();
        await foreach (var row in reader.DryRunAsync(Containers.SisInbox, AzureChaosRun.TermBlob, cancellationToken))
        {
            if (row is SisRowResult.Accepted a)
            {
                accepted.Add(a.Message.Completion);
            }
        }
        return accepted;
    }

    [GeneratedRegex(@"https?://\S+/claim/(?<token>[A-Za-z0-9_%-]+)")]
    private static partial Regex ClaimLink();

    /// <summary>The input alone: a blob store holding the term file and nothing else, read-only.</summary>
    private sealed class TermFileOnly(byte[] term) : IBlobStore
    {
        private BlobContent? Find(string container, string name) =>
            container == Containers.SisInbox && name == AzureChaosRun.TermBlob ? new BlobContent(term, "text/csv") : null;

        public Task<BlobContent?> GetAsync(string container, string name, CancellationToken cancellationToken) => Task.FromResult(Find(container, name));

        public Task<Stream?> OpenReadAsync(string container, string name, CancellationToken cancellationToken) =>
            Task.FromResult<Stream?>(Find(container, name) is null ? null : new MemoryStream(term, writable: false));

        public IAsyncEnumerable<string> ListAsync(string container, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("Computing the truth lists nothing.");

        public Task PutAsync(string container, string name, ReadOnlyMemory<byte> content, string contentType, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("Computing the truth writes nothing.");

        public Task<bool> DeleteAsync(string container, string name, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("Computing the truth deletes nothing.");

        public Task<bool> MoveAsync(string sourceContainer, string name, string targetContainer, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("Computing the truth moves nothing.");
    }

    private sealed class NoMessages : IMessageSender
    {
        public static readonly NoMessages Instance = new();

        public Task SendAsync(OutgoingMessage message, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("Computing the truth sends no messages.");

        public Task SendBatchAsync(IReadOnlyList<OutgoingMessage> messages, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("Computing the truth sends no messages.");
    }
}
