using Pipeline.Functions.Tests.Chaos;

namespace Pipeline.Functions.Tests;

/// <summary>
/// The test assembly's entry point (<c>GenerateProgramFile</c> is off): the test host never calls it; the Azure chaos
/// run starts this assembly as the app process it kills (<see cref="ChaosLife"/>).
/// </summary>
internal static class ChaosProgram
{
    public static Task<int> Main(string[] args) =>
        args is [ChaosLife.Command, .. var rest]
            ? ChaosLife.RunAsync(rest)
            : throw new ArgumentException($"Expected \"{ChaosLife.Command} --keys DIR --faults RATE --seed N\"; this assembly is otherwise run by a test host.", nameof(args));
}
