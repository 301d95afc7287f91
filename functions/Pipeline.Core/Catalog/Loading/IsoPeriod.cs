using System.Globalization;
using System.Text.RegularExpressions;

namespace Pipeline.Core.Catalog.Loading;

/// <summary>The ISO 8601 period subset the catalog uses for expiry and rule windows: <c>PnYnMnWnD</c>, no time part.</summary>
internal readonly record struct IsoPeriod(int Years, int Months, int Days)
{
    public const string Example = "an ISO 8601 period like \"P3Y\", \"P18M\" or \"P90D\"";

    private static readonly Regex Pattern = new(
        @"^P(?:(?<y>\d{1,4})Y)?(?:(?<m>\d{1,4})M)?(?:(?<w>\d{1,4})W)?(?:(?<d>\d{1,5})D)?$",
        RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture,
        TimeSpan.FromSeconds(1));

    public static IsoPeriod? Parse(string text)
    {
        var match = Pattern.Match(text);
        if (!match.Success || text == "P")
        {
            return null;
        }
        static int Group(Match m, string name) =>
            m.Groups[name].Success ? int.Parse(m.Groups[name].Value, CultureInfo.InvariantCulture) : 0;
        var period = new IsoPeriod(Group(match, "y"), Group(match, "m"), Group(match, "w") * 7 + Group(match, "d"));
        return period.Years == 0 && period.Months == 0 && period.Days == 0 ? null : period;
    }
}
