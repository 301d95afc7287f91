using System.Reflection;
using NetArchTest.Rules;
using Pipeline.Core.Catalog;

namespace Pipeline.Core.Tests.Architecture;

/// <summary>
/// The layers of Pipeline.Core (docs/architecture.md, "Layers"): each folder may use the folders listed before it and
/// never one listed after it, so the core has no dependency cycle and every upward reference fails here by name.
/// </summary>
public sealed class LayerTests
{
    /// <summary>Bottom first. Each entry is a namespace under <c>Pipeline.Core</c>, sub-namespaces included.</summary>
    public static readonly IReadOnlyList<(string Layer, string[] Folders)> Layers =
    [
        ("ground", ["Json", "Csv", "Signing", "Catalog", "Pathways", "Credentials", "Contracts", "Baking"]),
        ("ports", ["Storage", "Status", "Mail"]),
        ("verification", ["Verification"]),
        ("stages", ["Stages"]),
        ("http", ["Http"]),
    ];

    private static readonly Assembly Core = typeof(PipelineCatalog).Assembly;

    private static IEnumerable<string> Order => Layers.SelectMany(l => l.Folders).Select(f => "Pipeline.Core." + f);

    public static TheoryData<string> Folders() => [.. Order];

    [Theory]
    [MemberData(nameof(Folders))]
    public void A_folder_uses_only_the_folders_below_it(string folder)
    {
        var above = Order.SkipWhile(f => f != folder).Skip(1).ToArray();
        if (above.Length == 0)
        {
            return;
        }

        var upward = above
            .SelectMany(a => (Types.InAssembly(Core).That().ResideInNamespace(folder).ShouldNot().HaveDependencyOn(a).GetResult().FailingTypeNames ?? [])
                .Select(type => $"{type} -> {a}"))
            .ToList();

        Assert.True(upward.Count == 0,
            $"{folder} may use only the folders below it ({string.Join(", ", Order.TakeWhile(f => f != folder))}); these types reach above it:"
            + string.Concat(upward.Select(u => Environment.NewLine + "  " + u)));
    }

    [Fact]
    public void Every_namespace_of_the_core_sits_in_a_layer()
    {
        var namespaces = Core.GetTypes().Select(t => t.Namespace).OfType<string>().Where(n => n.StartsWith("Pipeline.Core", StringComparison.Ordinal)).Distinct();

        var unplaced = namespaces.Where(n => !Order.Any(f => n == f || n.StartsWith(f + ".", StringComparison.Ordinal))).ToList();

        Assert.True(unplaced.Count == 0, $"Place these in a layer of {nameof(LayerTests)}.{nameof(Layers)}: {string.Join(", ", unplaced)}");
    }

    [Fact]
    public void The_rule_fails_on_an_upward_reference()
    {
        // Stages really does use Catalog: the same check, asked the wrong way round, must fail.
        var result = Types.InAssembly(Core).That().ResideInNamespace("Pipeline.Core.Stages").ShouldNot().HaveDependencyOn("Pipeline.Core.Catalog").GetResult();

        Assert.False(result.IsSuccessful);
    }

    [Fact]
    public void Fault_injection_is_not_part_of_the_core()
    {
        var names = Core.GetTypes().Select(t => t.FullName ?? t.Name);

        Assert.DoesNotContain(names, n => n.Contains(".Faults.", StringComparison.Ordinal) || n.Contains("Faulty", StringComparison.Ordinal));
    }
}
