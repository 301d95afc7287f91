using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Pipeline.Core.Catalog;
using Pipeline.Core.Contracts;
using Pipeline.Core.Pathways;
using Pipeline.Core.Stages.Ingest;
using Pipeline.Core.Storage;
using Pipeline.Core.Tests.TestData;

namespace Pipeline.Core.Tests.Stages.Ingest;

public sealed class IngestSisFileHandlerTests
{
    /// <summary>The course of the CSVs written inline below; the sample exports use the sample catalog's pathways.</summary>
    private static readonly HashSet<string> InlineActivities = ["CS101"];

    private readonly InMemoryBlobStore _blobs = new();
    private readonly RecordingMessageSender _sender = new();

    private static IReadOnlyList<SisColumnMap> ShippedMaps()
    {
        var result = SisMapLoader.Load(Path.Combine(RepositoryPaths.Samples, "catalog", "sis-maps"));
        Assert.Empty(result.Errors);
        return result.Maps;
    }

    private IngestSisFileHandler CreateSut(IReadOnlyList<SisColumnMap>? maps = null, int batchSize = 500) => new(
        _blobs,
        _sender,
        new SisIngestOptions { Maps = maps ?? ShippedMaps(), IsKnownActivity = IsKnownActivity, BatchSize = batchSize },
        new FakeTimeProvider(new DateTimeOffset(2026, 1, 10, 8, 0, 0, TimeSpan.Zero)),
        NullLogger<IngestSisFileHandler>.Instance);

    private static bool IsKnownActivity(string activityId) =>
        InlineActivities.Contains(activityId) || SampleCatalog.Catalog.IsPathwayActivity(activityId);

    private void DropSample(string sample, string blobName) =>
        _blobs.Put(Containers.SisInbox, blobName, File.ReadAllBytes(Path.Combine(RepositoryPaths.Samples, "sis", sample)));

    private List<RecordCompletion> SentCompletions() =>
        [.. _sender.Sent.Select(m =>
        {
            Assert.Equal(Queues.Completions, m.Queue);
            return JsonSerializer.Deserialize(m.Body, ContractsJsonContext.Default.RecordCompletion)!;
        })];

    private JsonElement Report(string blobName) =>
        JsonDocument.Parse(_blobs.Text(Containers.SisReports, blobName + ".report.json")!).RootElement;

    [Fact]
    public async Task Generic_sample_sends_pathway_activities_ignores_the_rest_and_rejects_its_bad_rows()
    {
        DropSample("generic-2025FA.csv", "generic-2025FA.csv");

        var report = await CreateSut().HandleAsync(Containers.SisInbox, "generic-2025FA.csv", CancellationToken.None);

        Assert.Equal(IngestOutcome.Ingested, report.Outcome);
        Assert.Equal("generic", report.Map);
        Assert.Equal(new IngestCounts(27, 21, 3, 0, 3, 0), report.Counts);
        var sent = SentCompletions();
        Assert.Equal(21, sent.Count);
        var first = sent[0];
        Assert.Equal("sis:sis-inbox/generic-2025FA.csv#2", first.CorrelationId);
        Assert.Equal(new CompletionEvent
        {
            Source = "sis:generic",
            LearnerId = "S2001",
            ActivityId = "CRS100",
            CompletedAt = new DateTimeOffset(2025, 10, 6, 0, 0, 0, TimeSpan.Zero),
            Outcome = CompletionOutcome.Completed,
        }, first.Completion);
        Assert.Equal(new LearnerProfile { LearnerId = "S2001", Email = "mae.jemison@example.edu", GivenName = "Mae", FamilyName = "Jemison" }, first.Learner);
        Assert.Contains(sent, c => c.Completion is { ActivityId: "CRS200", Outcome: CompletionOutcome.Failed, Score: 72m });
        Assert.Contains(sent, c => c.Completion.Outcome == CompletionOutcome.Completed && c.Completion.Grade is null && c.Completion.Score is null);
        Assert.Equal(2, Report("generic-2025FA.csv").GetProperty("ignoredByActivity").GetProperty("HIST110").GetInt32());
        Assert.Equal(3, Report("generic-2025FA.csv").GetProperty("rejections").GetArrayLength());
    }

    [Fact]
    public async Task Banner_sample_by_folder_rejects_bad_rows_with_every_bad_field_skips_withdrawals_and_sends_a_repeated_row_once()
    {
        DropSample("banner-2025FA.csv", "banner/2025FA.csv");

        var report = await CreateSut().HandleAsync(Containers.SisInbox, "banner/2025FA.csv", CancellationToken.None);

        Assert.Equal("banner", report.Map);
        Assert.Equal(new IngestCounts(34, 23, 3, 1, 4, 3), report.Counts);
        var sent = SentCompletions();
        var ada = sent[0].Completion;
        Assert.Equal("DAT101", ada.ActivityId);
        Assert.Equal(new DateTimeOffset(2025, 12, 12, 5, 0, 0, TimeSpan.Zero), ada.CompletedAt);
        Assert.Equal(CompletionOutcome.Passed, ada.Outcome);
        Assert.Contains(sent, c => c.Completion.Grade == "F" && c.Completion.Outcome == CompletionOutcome.Failed);

        var messages = Report("banner/2025FA.csv").GetProperty("rejections").EnumerateArray().Select(r => r.GetProperty("message").GetString()).ToList();
        Assert.Equal(
        [
            "sis-inbox/banner/2025FA.csv row 33, column \"SHRTCKG_GRDE_DATE\": expected a date like 14-Dec-2026 or 14-Dec-26, found \"12/31/2025\"",
            "sis-inbox/banner/2025FA.csv row 34, column \"GOREMAL_EMAIL_ADDRESS\": expected an email address like ada@example.edu, found \"emmy.noether.example.edu\"",
            "sis-inbox/banner/2025FA.csv row 35, column \"SPRIDEN_ID\": expected the learner's SIS id, found an empty cell",
            "sis-inbox/banner/2025FA.csv row 35, column \"GOREMAL_EMAIL_ADDRESS\": expected an email address like ada@example.edu, found an empty cell",
            "sis-inbox/banner/2025FA.csv row 35, column \"SHRTCKG_GRDE_DATE\": expected a date like 14-Dec-2026 or 14-Dec-26, found \"2025-12-10\"",
            "sis-inbox/banner/2025FA.csv row 35, column \"SHRTCKG_FINAL_GRDE\": expected a grade (the outcome is derived from it), found an empty cell",
        ], messages);
        var duplicate = Assert.Single(Report("banner/2025FA.csv").GetProperty("duplicates").EnumerateArray());
        Assert.Equal((32, 31), (duplicate.GetProperty("row").GetInt32(), duplicate.GetProperty("earlierRow").GetInt32()));
        var skipped = Report("banner/2025FA.csv").GetProperty("skippedByReason");
        Assert.Equal(2, skipped.GetProperty("withdrawn, incomplete or audited (not a completion)").GetInt32());
        Assert.Equal(1, skipped.GetProperty("audit grade mode (not a completion)").GetInt32());
    }

    [Fact]
    public async Task Canvas_sample_is_chosen_by_header_and_skips_the_points_possible_row()
    {
        DropSample("canvas-DAT101.csv", "canvas-DAT101.csv");

        var report = await CreateSut().HandleAsync(Containers.SisInbox, "canvas-DAT101.csv", CancellationToken.None);

        Assert.Equal("canvas", report.Map);
        Assert.Equal(new IngestCounts(28, 24, 2, 0, 0, 2), report.Counts);
        var skipped = Report("canvas-DAT101.csv").GetProperty("skippedByReason");
        Assert.Equal(1, skipped.GetProperty("Canvas points-possible row").GetInt32());
        Assert.Equal(1, skipped.GetProperty("Canvas test student").GetInt32());
        var sent = SentCompletions();
        Assert.All(sent, c => Assert.Equal("DAT101", c.Completion.ActivityId));
        var grace = sent.Single(c => c.Learner.LearnerId == "S1002");
        Assert.Equal("grace.hopper@example.edu", grace.Learner.Email);
        Assert.Equal(("Grace", "Hopper"), (grace.Learner.GivenName, grace.Learner.FamilyName));
        Assert.Equal(88.0m, grace.Completion.Score);
        Assert.Equal(CompletionOutcome.Passed, grace.Completion.Outcome);
        Assert.Equal(new DateTimeOffset(2025, 12, 18, 5, 0, 0, TimeSpan.Zero), grace.Completion.CompletedAt);
        Assert.Equal(CompletionOutcome.Failed, sent.Single(c => c.Learner.LearnerId == "S1004").Completion.Outcome);
    }

    [Fact]
    public async Task Processed_file_is_moved_with_reports_and_a_second_run_finds_nothing()
    {
        DropSample("banner-2025FA.csv", "banner/2025FA.csv");
        var original = _blobs.Bytes(Containers.SisInbox, "banner/2025FA.csv");
        var sut = CreateSut();

        var report = await sut.HandleAsync(Containers.SisInbox, "banner/2025FA.csv", CancellationToken.None);
        var again = await sut.HandleAsync(Containers.SisInbox, "banner/2025FA.csv", CancellationToken.None);

        Assert.False(_blobs.Exists(Containers.SisInbox, "banner/2025FA.csv"));
        Assert.Equal(original, _blobs.Bytes(Containers.SisProcessed, report.ProcessedBlob!));
        Assert.Equal("banner/2025FA.csv.report.json", report.ReportBlob);
        Assert.Equal("banner/2025FA.csv.rejected.csv", report.RejectedRowsBlob);
        Assert.Equal(IngestOutcome.NotFound, again.Outcome);
        Assert.Equal(23, _sender.Sent.Count);
    }

    [Fact]
    public async Task Re_ingesting_the_same_file_yields_identical_event_ids_and_report()
    {
        DropSample("banner-2025FA.csv", "banner/2025FA.csv");
        var sut = CreateSut();
        await sut.HandleAsync(Containers.SisInbox, "banner/2025FA.csv", CancellationToken.None);
        var firstIds = SentCompletions().Select(c => c.Completion.Id).ToList();
        var firstRejections = Report("banner/2025FA.csv").GetProperty("rejections").GetRawText();

        DropSample("banner-2025FA.csv", "banner/2025FA.csv");
        await sut.HandleAsync(Containers.SisInbox, "banner/2025FA.csv", CancellationToken.None);

        var allIds = SentCompletions().Select(c => c.Completion.Id).ToList();
        Assert.Equal(firstIds, allIds.Skip(firstIds.Count));
        Assert.Equal(firstRejections, Report("banner/2025FA.csv").GetProperty("rejections").GetRawText());
    }

    [Fact]
    public async Task Messages_are_sent_in_batches_of_the_configured_size()
    {
        DropSample("generic-2025FA.csv", "generic-2025FA.csv");

        await CreateSut(batchSize: 10).HandleAsync(Containers.SisInbox, "generic-2025FA.csv", CancellationToken.None);

        Assert.Equal([10, 10, 1], _sender.Batches.Select(b => b.Count));
    }

    [Fact]
    public async Task Duplicate_rows_are_sent_once_and_the_report_names_the_earlier_row()
    {
        const string csv = """
            learner_id,email,given_name,family_name,activity_id,completed_at,outcome,grade,score
            S1,ada@example.edu,Ada,Lovelace,CS101,2025-12-10,passed,A,95
            S2,alan@example.edu,Alan,Turing,CS101,2025-12-10,passed,A,95
            S1,ada@example.edu,Ada,Lovelace,CS101,2025-12-10,P,A,95
            """;
        _blobs.Put(Containers.SisInbox, "dups.csv", csv);

        var report = await CreateSut().HandleAsync(Containers.SisInbox, "dups.csv", CancellationToken.None);

        Assert.Equal(new IngestCounts(3, 2, 0, 1, 0, 0), report.Counts);
        Assert.Equal(2, _sender.Sent.Count);
        var duplicate = Assert.Single(Report("dups.csv").GetProperty("duplicates").EnumerateArray());
        Assert.Equal(4, duplicate.GetProperty("row").GetInt32());
        Assert.Equal(2, duplicate.GetProperty("earlierRow").GetInt32());
    }

    [Fact]
    public async Task A_completion_dated_in_the_future_is_rejected_and_the_other_rows_are_kept()
    {
        const string csv = """
            learner_id,email,given_name,family_name,activity_id,completed_at,outcome,grade,score
            S1,ada@example.edu,Ada,Lovelace,CS101,2025-12-21,passed,A,95
            S2,alan@example.edu,Alan,Turing,CS101,2026-03-01,passed,A,95
            """;
        _blobs.Put(Containers.SisInbox, "future.csv", csv);

        var report = await CreateSut().HandleAsync(Containers.SisInbox, "future.csv", CancellationToken.None);

        Assert.Equal(new IngestCounts(2, 1, 1, 0, 0, 0), report.Counts);
        var rejection = Assert.Single(Report("future.csv").GetProperty("rejections").EnumerateArray());
        Assert.Contains("row 3, column \"completed_at\": expected a completion date that is not in the future (on or before 2026-01-11), found \"2026-03-01\"",
            rejection.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Excel_export_with_bom_crlf_quoted_newlines_and_blank_trailing_columns_is_read()
    {
        var csv = "learner_id,email,given_name,family_name,activity_id,completed_at,outcome,grade,score,,\r\n"
            + "S1,ada@example.edu,\"Ada \"\"Countess\"\"\",Lovelace,CS101,2025-12-10,passed,A,95,,\r\n"
            + "S4,king@example.edu,William,\"Lovelace\r\nKing\",CS101,2025-12-10,passed,A,95,,\r\n"
            + "S2,alan@example.edu,Alan,Turing,CS101,2025-12-11,passed,A,91,,\r\n"
            + "S3,bad-email,Grace,Hopper,CS101,2025-12-11,passed,A,91,,\r\n"
            + ",,,,,,,,,,\r\n\r\n\r\n";
        _blobs.Put(Containers.SisInbox, "excel.csv", [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(csv)]);

        var report = await CreateSut().HandleAsync(Containers.SisInbox, "excel.csv", CancellationToken.None);

        Assert.Equal(new IngestCounts(4, 2, 2, 0, 0, 0), report.Counts);
        var ada = SentCompletions()[0];
        Assert.Equal("Ada \"Countess\"", ada.Learner.GivenName);
        Assert.Equal("sis:sis-inbox/excel.csv#5", SentCompletions()[1].CorrelationId);
        // A quoted line break is read as part of its cell (and counted in the row numbers), but a name may not hold
        // one (issue 21: it broke the claim email's To: header).
        var rejections = Report("excel.csv").GetProperty("rejections").EnumerateArray()
            .Select(r => (r.GetProperty("row").GetInt32(), r.GetProperty("column").GetString()))
            .ToList();
        Assert.Equal([(3, "family_name"), (6, "email")], rejections);
    }

    [Fact]
    public async Task Semicolon_delimited_latin1_file_is_read_with_its_map()
    {
        var map = ShippedMaps().Single(m => m.Name == "generic") with { Name = "europe", Delimiter = ';', Encoding = SisFileEncoding.Latin1 };
        var csv = "learner_id;email;given_name;family_name;activity_id;completed_at;outcome;grade;score\r\n"
            + "S1;rene@example.eu;René;Descartes;CS101;2025-12-10;passed;A;95,5\r\n";
        _blobs.Put(Containers.SisInbox, "europe/2026.csv", Encoding.Latin1.GetBytes(csv));

        var report = await CreateSut([map]).HandleAsync(Containers.SisInbox, "europe/2026.csv", CancellationToken.None);

        Assert.Equal(new IngestCounts(1, 0, 1, 0, 0, 0), report.Counts);
        var rejection = Assert.Single(Report("europe/2026.csv").GetProperty("rejections").EnumerateArray());
        Assert.Equal("score", rejection.GetProperty("column").GetString());
        Assert.Equal("95,5", rejection.GetProperty("found").GetString());
        var rejected = Encoding.UTF8.GetString(_blobs.Bytes(Containers.SisReports, "europe/2026.csv.rejected.csv")!);
        Assert.Contains("S1;rene@example.eu;René;Descartes;CS101;2025-12-10;passed;A;95,5;", rejected, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_kind_of_bad_field_is_reported()
    {
        const string csv = """
            learner_id,email,given_name,family_name,activity_id,completed_at,outcome,grade,score
            ,ada@,Ada,Lovelace,,2026-13-40,maybe,A,ninety
            S2,alan@example.edu,Alan,Tu"ring,CS101,2025-12-10,passed,A,91
            """;
        _blobs.Put(Containers.SisInbox, "bad.csv", csv);

        var results = await CreateSut().DryRunAsync(Containers.SisInbox, "bad.csv", CancellationToken.None).ToListAsync();

        var first = Assert.IsType<SisRowResult.Rejected>(results[0]);
        Assert.Equal(
            ["activity_id", "learner_id", "email", "completed_at", "score", "outcome"],
            first.Errors.Select(e => e.Column));
        Assert.Equal("expected one of \"passed\", \"pass\", \"p\", \"completed\", \"complete\", \"c\", \"failed\", \"fail\", \"f\", found \"maybe\"", first.Errors[^1].DescribeProblem());
        Assert.Equal("expected a number like 87.5, found \"ninety\"", first.Errors[^2].DescribeProblem());
        var second = Assert.IsType<SisRowResult.Rejected>(results[1]);
        var quoting = Assert.Single(second.Errors);
        Assert.Null(quoting.Column);
        Assert.StartsWith("a stray quote", quoting.Found, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rejected_csv_keeps_the_header_adds_an_error_column_and_neutralises_formulas()
    {
        const string csv = """
            learner_id,email,given_name,family_name,activity_id,completed_at,outcome,grade,score
            S1,ada@example.edu,"=HYPERLINK(""http://evil.example"",""click"")",@SUM(A1),CS101,not a date,passed,-5,+1
            """;
        _blobs.Put(Containers.SisInbox, "formula.csv", csv);

        var report = await CreateSut().HandleAsync(Containers.SisInbox, "formula.csv", CancellationToken.None);

        var bytes = _blobs.Bytes(Containers.SisReports, report.RejectedRowsBlob!)!;
        Assert.Equal(Encoding.UTF8.GetPreamble(), bytes[..3]);
        var lines = Encoding.UTF8.GetString(bytes[3..]).Split("\r\n");
        Assert.Equal("learner_id,email,given_name,family_name,activity_id,completed_at,outcome,grade,score,error", lines[0]);
        Assert.Equal(
            "S1,ada@example.edu,\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"click\"\")\",\"'@SUM(A1)\",CS101,not a date,passed,\"'-5\",\"'+1\","
            + "\"row 2: column \"\"completed_at\"\": expected a date like 2026-12-14T14:30:00-05:00 or 2026-12-14T14:30:00 or 2026-12-14, found \"\"not a date\"\"\"",
            lines[1]);
    }

    [Fact]
    public async Task File_whose_header_fits_no_map_is_rejected_whole_with_what_each_map_expects()
    {
        _blobs.Put(Containers.SisInbox, "mystery.csv", "student,course,date\r\nS1,CS101,2025-12-10\r\n");

        var report = await CreateSut().HandleAsync(Containers.SisInbox, "mystery.csv", CancellationToken.None);

        Assert.Equal(IngestOutcome.FileRejected, report.Outcome);
        Assert.Empty(_sender.Sent);
        Assert.StartsWith("sis-inbox/mystery.csv: no SIS map fits the header \"student\", \"course\", \"date\"; map \"banner\" expects \"SPRIDEN_ID\"", report.Problem, StringComparison.Ordinal);
        Assert.Contains("map \"generic\" expects \"learner_id\", \"email\"", report.Problem, StringComparison.Ordinal);
        Assert.Equal(report.Problem, Report("mystery.csv").GetProperty("summary").GetProperty("problem").GetString());
        Assert.True(_blobs.Exists(Containers.SisProcessed, "mystery.csv"));
    }

    [Fact]
    public async Task File_in_a_map_folder_without_the_maps_columns_names_the_missing_ones()
    {
        DropSample("generic-2025FA.csv", "banner/generic.csv");

        var report = await CreateSut().HandleAsync(Containers.SisInbox, "banner/generic.csv", CancellationToken.None);

        Assert.Equal(IngestOutcome.FileRejected, report.Outcome);
        Assert.Contains("the folder selects map \"banner\"", report.Problem, StringComparison.Ordinal);
        Assert.Contains("missing \"SPRIDEN_ID\"", report.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_blob_is_reported_as_not_found()
    {
        var report = await CreateSut().HandleAsync(Containers.SisInbox, "gone.csv", CancellationToken.None);

        Assert.Equal(IngestOutcome.NotFound, report.Outcome);
        Assert.Null(report.ReportBlob);
    }

    [Fact]
    public async Task Dry_run_sends_writes_and_moves_nothing()
    {
        DropSample("banner-2025FA.csv", "banner/2025FA.csv");

        var results = await CreateSut().DryRunAsync(Containers.SisInbox, "banner/2025FA.csv", CancellationToken.None).ToListAsync();

        Assert.Equal(23, results.OfType<SisRowResult.Accepted>().Count());
        Assert.Equal(3, results.OfType<SisRowResult.Rejected>().Count());
        Assert.Empty(_sender.Sent);
        Assert.True(_blobs.Exists(Containers.SisInbox, "banner/2025FA.csv"));
        Assert.False(_blobs.Exists(Containers.SisReports, "banner/2025FA.csv.report.json"));
    }
}
