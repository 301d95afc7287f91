using System.Globalization;

namespace Pipeline.Core.Credentials;

/// <summary>Dates inside credentials: UTC, whole seconds, <c>yyyy-MM-ddTHH:mm:ssZ</c>, so JSON dates and JWT NumericDates agree.</summary>
public static class CredentialDates
{
    public static string Format(DateTimeOffset value) =>
        Truncate(value).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static DateTimeOffset Truncate(DateTimeOffset value)
    {
        var utc = value.ToUniversalTime();
        return utc.AddTicks(-(utc.Ticks % TimeSpan.TicksPerSecond));
    }

    /// <summary>Parses an XML Schema / RFC 3339 date-time with a zone; false for anything else.</summary>
    public static bool TryParse(string? text, out DateTimeOffset value)
    {
        value = default;
        return text is not null
            && (text.EndsWith('Z') || text.Length > 6 && text[^6] is '+' or '-')
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out value);
    }
}
