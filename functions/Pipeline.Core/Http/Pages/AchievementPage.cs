using System.Globalization;
using System.Text;
using Pipeline.Core.Catalog;

namespace Pipeline.Core.Http.Pages;

/// <summary><c>/achievements/{achievement}</c> for a browser: what the badge certifies and how it is earned.</summary>
internal static class AchievementPage
{
    public static string Render(Achievement achievement, Issuer issuer)
    {
        var urls = issuer.Urls;
        var details = new StringBuilder();
        details.Append($"<dt>Issued by</dt><dd>{Html.Link(urls.Issuer(issuer.Id).AbsolutePath, issuer.Name)}</dd>");
        details.Append($"<dt>Type</dt><dd>{Html.Text(achievement.AchievementType)}</dd>");
        if (achievement.FieldOfStudy is { } field)
        {
            details.Append($"<dt>Field of study</dt><dd>{Html.Text(field)}</dd>");
        }
        if (achievement.CreditsAvailable is { } credits)
        {
            details.Append($"<dt>Credits</dt><dd>{Html.Text(credits.ToString(CultureInfo.InvariantCulture))}</dd>");
        }
        if (achievement.Expiry is { } expiry)
        {
            details.Append($"<dt>Valid for</dt><dd>{Html.Text(Duration(expiry))} after it is awarded</dd>");
        }
        if (achievement.Tags.Count > 0)
        {
            details.Append($"<dt>Tags</dt><dd>{Html.Text(string.Join(", ", achievement.Tags))}</dd>");
        }
        var alignments = achievement.Alignments.Count == 0
            ? ""
            : "<h2>Aligned to</h2><ul>" + string.Concat(achievement.Alignments.Select(a =>
                $"<li>{Html.Link(a.TargetUrl.AbsoluteUri, a.TargetName)}{(a.TargetFramework is { } f ? " (" + Html.Text(f) + ")" : "")}</li>")) + "</ul>";
        return Layout.Render(achievement.Name, $"""
            <img class="badge" src="{Html.SafeUrl(urls.AchievementImage(achievement.Id, "png").AbsolutePath)}" alt="{Html.Text(achievement.ImageCaption ?? achievement.Name)}">
            <h1>{Html.Text(achievement.Name)}</h1>
            <p>{Html.Text(achievement.Description)}</p>
            <h2>How it is earned</h2>
            {Html.Narrative(achievement.Criteria.Narrative)}
            {(achievement.Criteria.Url is { } criteria ? "<p>" + Html.Link(criteria.AbsoluteUri, "Full criteria") + "</p>" : "")}
            <h2>Details</h2>
            <dl>{details}</dl>
            {alignments}
            """);
    }

    internal static string Duration(ExpiryPolicy expiry)
    {
        var parts = new List<string>();
        void Add(int count, string unit)
        {
            if (count != 0)
            {
                parts.Add(string.Create(CultureInfo.InvariantCulture, $"{count} {unit}{(count == 1 ? "" : "s")}"));
            }
        }
        Add(expiry.Years, "year");
        Add(expiry.Months, "month");
        Add(expiry.Days, "day");
        return parts.Count == 0 ? "0 days" : string.Join(", ", parts);
    }
}
