using System.Globalization;

namespace Pipeline.Azure.Tests.TestData;

/// <summary>Table prefixes unique within the test run, so each test gets empty tables in the shared Azurite.</summary>
internal static class UniqueNames
{
    private static int _next;

    public static string TablePrefix() => "t" + Interlocked.Increment(ref _next).ToString("D6", CultureInfo.InvariantCulture);
}
