using Pipeline.Core.Catalog;

namespace Pipeline.Core.Catalog;

/// <summary>Walks a rule tree.</summary>
internal static class RuleWalker
{
    public static IEnumerable<PathwayRule> Children(PathwayRule rule) => rule switch
    {
        AllOfRule all => all.Rules,
        AnyOfRule any => any.Rules,
        AtLeastRule atLeast => atLeast.Rules,
        WithinRule within => [within.Rule],
        _ => [],
    };

    public static IEnumerable<PathwayRule> Descendants(PathwayRule rule) =>
        Children(rule).SelectMany(Descendants).Prepend(rule);

    /// <summary>The achievements an <see cref="EarnedRule"/> anywhere in the tree stacks on, distinct.</summary>
    public static IEnumerable<string> EarnedReferences(PathwayRule rule) =>
        Descendants(rule).OfType<EarnedRule>().Select(e => e.Achievement).Distinct(StringComparer.Ordinal);
}
