using System.Text;
using Pipeline.Core.Catalog;

namespace Pipeline.Core.Http.Pages;

/// <summary><c>/issuers/{issuer}</c> for a browser: who the issuer is, its badges, and where its keys are published.</summary>
internal static class IssuerPage
{
    public static string Render(Issuer issuer, string? imagePath, IEnumerable<Achievement> achievements)
    {
        var urls = issuer.Urls;
        var list = new StringBuilder();
        foreach (var achievement in achievements.OrderBy(a => a.Name, StringComparer.Ordinal))
        {
            list.Append("<li>").Append(Html.Link(urls.Achievement(achievement.Id).AbsolutePath, achievement.Name)).Append("</li>");
        }
        var image = imagePath is null ? "" : $"<img class=\"badge\" src=\"{Html.SafeUrl(imagePath)}\" alt=\"{Html.Text(issuer.Name)} logo\">";
        return Layout.Render(issuer.Name, $"""
            {image}
            <h1>{Html.Text(issuer.Name)}</h1>
            <p>{Html.Text(issuer.Description)}</p>
            <dl>
            <dt>Website</dt><dd>{Html.Link(issuer.Url.AbsoluteUri, issuer.Url.AbsoluteUri)}</dd>
            <dt>Contact</dt><dd>{Html.Text(issuer.Email)}</dd>
            <dt>Identifier</dt><dd>{Html.Text(urls.Issuer(issuer.Id).AbsoluteUri)}</dd>
            </dl>
            <h2>Badges</h2>
            <ul>{list}</ul>
            <h2>For verifiers</h2>
            <ul>
            <li>{Html.Link(urls.IssuerJwks(issuer.Id).AbsolutePath, "Public signing keys (JWK Set)")}</li>
            <li>{Html.Link(urls.IssuerDidDocument(issuer.Id).AbsolutePath, "DID document")} ({Html.Text(urls.IssuerDid(issuer.Id))})</li>
            <li>{Html.Link(urls.Ob2Issuer(issuer.Id).AbsolutePath, "Open Badges 2.0 issuer profile")}</li>
            </ul>
            """);
    }
}
