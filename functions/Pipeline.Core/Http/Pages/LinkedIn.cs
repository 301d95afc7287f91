using System.Globalization;

namespace Pipeline.Core.Http.Pages;

/// <summary>LinkedIn's "Add licence or certification" link (the <c>profile/add</c> URL with <c>startTask=CERTIFICATION_NAME</c>).</summary>
internal static class LinkedIn
{
    public static string AddToProfileUrl(string name, string organizationName, DateTimeOffset issued, DateTimeOffset? expires, Uri certificateUrl, string certificateId)
    {
        var issuedUtc = issued.ToUniversalTime();
        var query = new List<(string Name, string Value)>
        {
            ("startTask", "CERTIFICATION_NAME"),
            ("name", name),
            ("organizationName", organizationName),
            ("issueYear", issuedUtc.Year.ToString(CultureInfo.InvariantCulture)),
            ("issueMonth", issuedUtc.Month.ToString(CultureInfo.InvariantCulture)),
        };
        if (expires is { } expiry)
        {
            var expiresUtc = expiry.ToUniversalTime();
            query.Add(("expirationYear", expiresUtc.Year.ToString(CultureInfo.InvariantCulture)));
            query.Add(("expirationMonth", expiresUtc.Month.ToString(CultureInfo.InvariantCulture)));
        }
        query.Add(("certUrl", certificateUrl.AbsoluteUri));
        query.Add(("certId", certificateId));
        return "https://www.linkedin.com/profile/add?" + string.Join("&", query.Select(q => q.Name + "=" + Uri.EscapeDataString(q.Value)));
    }
}
