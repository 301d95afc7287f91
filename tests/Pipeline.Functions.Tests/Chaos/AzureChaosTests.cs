using Pipeline.Azure.Tests.TestData;
using Xunit.Abstractions;

namespace Pipeline.Functions.Tests.Chaos;

/// <summary>
/// The chaos suite on the Azure adapters (issue #9): the sample term through the Functions app's stage functions on a
/// dedicated Azurite, with 10 % faults on every port, duplicate deliveries and the app process killed several times,
/// then drained and poison replayed; every earned credential must be issued exactly once with exactly one email.
/// </summary>
public sealed class AzureChaosTests(ITestOutputHelper output) : IDisposable
{
    private readonly string keyFolder = Path.Combine(Path.GetTempPath(), "fn-chaos-keys-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(keyFolder))
        {
            Directory.Delete(keyFolder, recursive: true);
        }
    }

    /// <summary>The CI scale; <c>AZURE_CHAOS_LEARNERS</c>, <c>AZURE_CHAOS_KILLS</c> and <c>AZURE_CHAOS_SEED</c> change it for a bigger run.</summary>
    private static AzureChaosSettings Settings()
    {
        var defaults = new AzureChaosSettings();
        return defaults with
        {
            Learners = Read("AZURE_CHAOS_LEARNERS") ?? defaults.Learners,
            Kills = Read("AZURE_CHAOS_KILLS") ?? defaults.Kills,
            Seed = Read("AZURE_CHAOS_SEED") ?? defaults.Seed,
        };

        static int? Read(string name) =>
            Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? int.Parse(value, System.Globalization.CultureInfo.InvariantCulture) : null;
    }

    [Fact]
    public async Task Sample_term_with_faults_duplicates_and_process_kills_issues_every_earned_credential_exactly_once_with_one_email()
    {
        var azurite = await Azurite.StartDedicatedAsync();
        var run = new AzureChaosRun(azurite.ConnectionString, keyFolder, Settings(), output.WriteLine);

        var (log, verdict) = await run.RunAsync(CancellationToken.None);

        output.WriteLine(log.ToString());
        output.WriteLine(verdict.ToString());
        Assert.True(log.Faults.Injected > 0 && log.Faults.AfterWrite > 0 && log.Faults.Duplicates > 0 && log.Kills > 0, $"the run shook too little: {log}");
        Assert.True(verdict.CredentialsExpected > 0, "the generated term earns no credential");
        Assert.Empty(verdict.Violations);
        Assert.Equal((verdict.CredentialsExpected, verdict.EmailsExpected), (verdict.CredentialsIssued, verdict.EmailsSent));
    }
}
