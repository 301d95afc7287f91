using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Pipeline.Core.Catalog;
using Pipeline.Core.Credentials;
using Pipeline.Core.Pathways;
using Pipeline.Core.Tests.TestData;

namespace Pipeline.Core.Tests.Pathways;

/// <summary>
/// The ids that make replays harmless must be the same in every process and reproducible by other systems from
/// the documentation alone: each batch of generated inputs is computed here and by an independent Python
/// implementation (TestData/independent_ids.py: hashlib, written from docs/catalog.md and CredentialId's doc comment)
/// in a child process, and the ids must agree.
/// </summary>
public sealed class DeterministicIdsAcrossProcessesTests
{
    /// <summary>ASCII (JSON's specials included), control characters, accented letters, CJK, non-ASCII white space, an emoji.</summary>
    private static readonly string[] Alphabet =
    [
        .. Enumerable.Range(0x20, 0x5F).Select(c => ((char)c).ToString()),
        "\t", "\n", "\r", "\b", "\f", "\u0001", "\u001f", "\u007f", "\u0085",
        "é", "ü", "ß", "Ω", "漢", "字", "\u00a0", "\u2028", "\u2029", "\u3000", "😀",
    ];

    private static Gen<string> Text(int min) =>
        from length in Gen.Choose(min, 12)
        from parts in Gen.ArrayOf(Gen.Elements(Alphabet), length)
        select string.Concat(parts);

    private static readonly Gen<decimal?> Score =
        from absent in Gen.Elements(true, false, false)
        from mantissa in Gen.Choose(0, 1_000_000)
        from scale in Gen.Choose(0, 6)
        from negative in Gen.Elements(true, false)
        select absent ? (decimal?)null : new decimal(mantissa, 0, 0, negative && mantissa > 0, (byte)scale);

    private static readonly Gen<CompletionEvent> Event =
        from source in Text(0)
        from learner in Text(0)
        from activity in Text(0)
        from ticks in Gen.Choose(0, int.MaxValue)
        from days in Gen.Choose(0, 365 * 150)
        from offset in Gen.Choose(-14 * 60, 14 * 60)
        from outcome in Gen.Elements(CompletionOutcome.Completed, CompletionOutcome.Passed, CompletionOutcome.Failed)
        from grade in Gen.OneOf(Gen.Constant<string?>(null), Text(0).Select(g => (string?)g))
        from score in Score
        select new CompletionEvent
        {
            Source = source,
            LearnerId = learner,
            ActivityId = activity,
            CompletedAt = new DateTimeOffset(new DateTime(1950, 1, 1).AddDays(days).AddTicks(ticks % TimeSpan.TicksPerDay * 7 % TimeSpan.TicksPerDay), TimeSpan.FromMinutes(offset)),
            Outcome = outcome,
            Grade = grade,
            Score = score,
        };

    private static readonly Gen<(string Issuer, string Achievement, string Learner, string? Period)> Award =
        from issuer in Text(1)
        from achievement in Text(1)
        from learner in Text(1)
        from period in Gen.OneOf(Gen.Constant<string?>(null), Text(1).Select(p => (string?)p))
        select (issuer, achievement, learner, period);

    [Property(MaxTest = 25)]
    public Property Completion_event_ids_match_an_independent_implementation_in_another_process() =>
        Prop.ForAll(Gen.ArrayOf(Event, 40).ToArbitrary(), events =>
        {
            var lines = events.Select(e => new JsonObject
            {
                ["kind"] = "event",
                ["source"] = e.Source,
                ["learner"] = e.LearnerId,
                ["activity"] = e.ActivityId,
                ["local"] = e.CompletedAt.DateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff", CultureInfo.InvariantCulture),
                ["offsetMinutes"] = (int)e.CompletedAt.Offset.TotalMinutes,
                ["outcome"] = e.Outcome.ToString(),
                ["grade"] = e.Grade,
                ["score"] = e.Score?.ToString(CultureInfo.InvariantCulture),
            }.ToJsonString());
            var expected = events.Select(CompletionEventId.Compute).ToArray();
            return Agree(expected, Python(lines), events.Select(CompletionEventId.CanonicalForm));
        });

    [Property(MaxTest = 25)]
    public Property Credential_ids_match_an_independent_implementation_in_another_process() =>
        Prop.ForAll(Gen.ArrayOf(Award, 40).ToArbitrary(), awards =>
        {
            var lines = awards.Select(a => new JsonObject
            {
                ["kind"] = "credential",
                ["issuer"] = a.Issuer,
                ["achievement"] = a.Achievement,
                ["learner"] = a.Learner,
                ["period"] = a.Period,
            }.ToJsonString());
            var expected = awards.Select(a => CredentialId.Compute(a.Issuer, a.Achievement, a.Learner, a.Period)).Select(id => $"{id.Value} {id.Urn}").ToArray();
            return Agree(expected, Python(lines), awards.Select(a => $"{a}"));
        });

    [Fact]
    public void The_documented_example_is_reproduced_by_the_independent_implementation()
    {
        var line = """{"kind":"event","source":"sis:banner","learner":"S1001","activity":"CS101","local":"2026-12-14T09:30:00.0000000","offsetMinutes":-300,"outcome":"Passed","grade":"B+","score":"87.50"}""";
        var example = new CompletionEvent
        {
            Source = "sis:banner",
            LearnerId = "S1001",
            ActivityId = "CS101",
            CompletedAt = new DateTimeOffset(2026, 12, 14, 9, 30, 0, TimeSpan.FromHours(-5)),
            Outcome = CompletionOutcome.Passed,
            Grade = "B+",
            Score = 87.50m,
        };

        Assert.Equal([CompletionEventId.Compute(example)], Python([line]));
    }

    private static Property Agree(string[] expected, string[] actual, IEnumerable<string> inputs)
    {
        var firstDifference = Enumerable.Range(0, expected.Length).FirstOrDefault(i => i >= actual.Length || expected[i] != actual[i], -1);
        return (actual.Length == expected.Length && firstDifference < 0)
            .Label(firstDifference < 0 ? "lengths differ" : $"case {firstDifference}: {inputs.ElementAt(firstDifference)} → here {expected[firstDifference]}, python {(firstDifference < actual.Length ? actual[firstDifference] : "(none)")}");
    }

    private static string[] Python(IEnumerable<string> lines)
    {
        var script = Path.Combine(RepositoryPaths.Root, "tests", "Pipeline.Core.Tests", "TestData", "independent_ids.py");
        var start = new ProcessStartInfo("python3", [script])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardInputEncoding = new UTF8Encoding(false),
            StandardOutputEncoding = Encoding.UTF8,
        };
        start.Environment["PYTHONIOENCODING"] = "utf-8";
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("python3 is needed for this test (the independent implementation of the ids); install it (Debian: apt-get install python3).", e);
        }
        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            foreach (var line in lines)
            {
                process.StandardInput.Write(line + "\n");
            }
            process.StandardInput.Close();
            if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
            {
                process.Kill();
                throw new TimeoutException("python3 did not finish within 60 s.");
            }
            Assert.True(process.ExitCode == 0, $"python3 {script} failed: {error.Result}");
            return output.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        }
    }
}
