using System.Globalization;
using System.Reflection;
using Microsoft.Extensions.Logging;

namespace Pipeline.Core.Tests.TestData;

/// <summary>
/// The log event id scheme of docs/operations.md ("Log event ids"): one range per area, found by the namespace
/// of the class that declares the <see cref="LoggerMessageAttribute"/> method. The ranges are disjoint, so ids
/// checked per assembly are unique across the solution even where no test project loads every assembly.
/// </summary>
internal static class LogEventIds
{
    public static readonly IReadOnlyList<(string Namespace, int First, int Last)> Ranges =
    [
        ("Pipeline.Core.Stages.Ingest", 1100, 1199),
        ("Pipeline.Core.Stages.Webhooks", 1200, 1299),
        ("Pipeline.Core.Stages.Evaluate", 2000, 2999),
        ("Pipeline.Core.Stages.Issue", 3000, 3999),
        ("Pipeline.Core.Stages.Notify", 4000, 4999),
        ("Pipeline.Local", 5000, 5999),
        ("Pipeline.Core.Status", 6000, 6099),
        ("Pipeline.Core.Stages.Revoke", 6100, 6199),
        ("Pipeline.Functions", 7000, 7999),
        ("Pipeline.Core.Http", 8000, 8999),
        ("Pipeline.Azure", 9000, 9999),
    ];

    /// <summary>Every <see cref="LoggerMessageAttribute"/> method of the named assemblies, with its id.</summary>
    public static IReadOnlyList<(int Id, MethodInfo Method)> Declared(params string[] assemblyNames) =>
        [.. assemblyNames
            .Select(name => Assembly.Load(new AssemblyName(name)))
            .SelectMany(assembly => assembly.GetTypes())
            .SelectMany(type => type.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static
                | BindingFlags.Instance | BindingFlags.DeclaredOnly))
            .Select(method => (Method: method, Attribute: method.GetCustomAttribute<LoggerMessageAttribute>()))
            .Where(m => m.Attribute is not null)
            .Select(m => (m.Attribute!.EventId, m.Method))];

    /// <summary>One line per id used by more than one method and per id outside its area's range.</summary>
    public static IReadOnlyList<string> Problems(IReadOnlyList<(int Id, MethodInfo Method)> declared)
    {
        var duplicates = declared
            .GroupBy(d => d.Id)
            .Where(g => g.Count() > 1)
            .OrderBy(g => g.Key)
            .Select(g => string.Create(CultureInfo.InvariantCulture,
                $"event id {g.Key} is used by {string.Join(", ", g.Select(d => Name(d.Method)).Order(StringComparer.Ordinal))}"));
        var outOfRange = declared
            .OrderBy(d => d.Id)
            .Select(d => (d.Id, d.Method, Range: RangeOf(d.Method.DeclaringType!.Namespace ?? "")))
            .Where(d => d.Range is not { } r || d.Id < r.First || d.Id > r.Last)
            .Select(d => d.Range is { } r
                ? string.Create(CultureInfo.InvariantCulture,
                    $"event id {d.Id} of {Name(d.Method)} is outside {r.Namespace}'s range {r.First}-{r.Last}")
                : string.Create(CultureInfo.InvariantCulture,
                    $"event id {d.Id} of {Name(d.Method)}: no range for namespace {d.Method.DeclaringType!.Namespace}"));
        return [.. duplicates, .. outOfRange];
    }

    private static (string Namespace, int First, int Last)? RangeOf(string ns) =>
        Ranges
            .Where(r => ns == r.Namespace || ns.StartsWith(r.Namespace + ".", StringComparison.Ordinal))
            .OrderByDescending(r => r.Namespace.Length)
            .Select(r => ((string, int, int)?)r)
            .FirstOrDefault();

    private static string Name(MethodInfo method) => method.DeclaringType!.FullName + "." + method.Name;
}
