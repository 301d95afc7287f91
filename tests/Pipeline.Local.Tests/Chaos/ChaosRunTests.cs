using Pipeline.Local.Chaos;
using Pipeline.Local.Tests.TestData;

namespace Pipeline.Local.Tests.Chaos;

/// <summary>
/// The sample term with 10% faults on every port and the host process killed four times: every earned credential
/// issued once, emailed once, nothing accepted lost, no orphan files (docs/reliability.md has the full-scale command).
/// </summary>
public sealed class ChaosRunTests
{
    [Fact]
    public async Task Faults_and_process_kills_issue_and_email_every_earned_credential_exactly_once()
    {
        using var folder = new TempFolder();
        var settings = new ChaosSettings
        {
            DataFolder = Path.Combine(folder.Path, "data"),
            Learners = 60,
            FaultRate = 0.1,
            Kills = 4,
            Seed = 7,
            MaxKillDelay = TimeSpan.FromSeconds(4),
            WorkerTimeout = TimeSpan.FromSeconds(60),
        };
        var lines = new List<string>();

        var (log, verdict) = await ChaosRun.RunAsync(settings, new Uri("http://localhost:5080/"), lines.Add, CancellationToken.None);

        Assert.True(verdict.Holds, string.Join(Environment.NewLine, lines.Concat(verdict.Violations.Take(30))));
        Assert.True(log.Faults.Injected > 0, "no fault was injected");
        Assert.True(log.Faults.AfterWrite > 0, "no fault struck after a write");
        Assert.True(log.Faults.Duplicates > 0, "no delivery was duplicated");
        Assert.True(verdict.CredentialsExpected > 0);
        Assert.Equal(verdict.CredentialsExpected, verdict.CredentialsIssued);
        Assert.Equal(verdict.EmailsExpected, verdict.EmailsSent);
        Assert.Equal(0, verdict.PoisonRemaining);
    }
}
