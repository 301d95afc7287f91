using System.Globalization;

namespace Pipeline.Core.Catalog;

/// <summary>Completion dates as SIS exports write them: exact formats, local to a time zone unless they carry an offset.</summary>
internal static class SisDates
{
    private static readonly DateTimeOffset Sample = new(2026, 12, 14, 14, 30, 0, TimeSpan.FromHours(-5));

    public static bool IsValidFormat(string format)
    {
        try
        {
            var text = Sample.ToString(format, CultureInfo.InvariantCulture);
            return TryParse(text, [format], TimeZoneInfo.Utc) is not null;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>The value read with the first format that fits; a value without an offset is a local time in <paramref name="zone"/>.</summary>
    public static DateTimeOffset? TryParse(string value, IReadOnlyList<string> formats, TimeZoneInfo zone)
    {
        foreach (var format in formats)
        {
            if (HasOffset(format))
            {
                if (DateTimeOffset.TryParseExact(value, format, CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces, out var withOffset))
                {
                    return withOffset;
                }
            }
            else if (DateTime.TryParseExact(value, format, CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces, out var local))
            {
                var unspecified = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
                return new DateTimeOffset(unspecified, zone.GetUtcOffset(unspecified));
            }
        }
        return null;
    }

    /// <summary>An example of each format, for error messages: <c>14-Dec-2026 or 2026-12-14</c>.</summary>
    public static string Example(IReadOnlyList<string> formats) =>
        string.Join(" or ", formats.Select(f => Sample.ToString(f, CultureInfo.InvariantCulture)).Distinct(StringComparer.Ordinal));

    private static bool HasOffset(string format) => format.Contains('z', StringComparison.Ordinal) || format.Contains('K', StringComparison.Ordinal);
}
