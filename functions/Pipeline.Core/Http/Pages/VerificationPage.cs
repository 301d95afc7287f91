using System.Text;
using System.Text.Json.Nodes;
using Pipeline.Core.Credentials;
using Pipeline.Core.Verification;

namespace Pipeline.Core.Http.Pages;

/// <summary>
/// <c>/credentials/{id}</c> for a browser: the verdict, what the badge is, who issued it, the dates, each check in
/// plain words, and the downloads. The recipient appears only as "a hashed email address": never the email itself.
/// </summary>
internal static class VerificationPage
{
    /// <summary>The page of a stored credential (<paramref name="credentialId"/>), or of an uploaded one (null: no downloads).</summary>
    public static string Render(string? credentialId, CredentialVerification verification, DateTimeOffset checkedAt)
    {
        var credential = verification.Result.Credential ?? [];
        var achievement = (credential["credentialSubject"] as JsonObject)?["achievement"] as JsonObject ?? [];
        var issuerId = CheckExplanations.IssuerId(verification);
        var issuerName = CheckExplanations.IssuerName(verification);
        var name = CheckExplanations.BadgeName(credential);
        var validUntil = Date(credential["validUntil"]);
        var (verdictWord, verdictText) = CheckExplanations.Verdict(verification);

        var dates = new StringBuilder();
        AppendDate(dates, "Awarded", credential["awardedDate"]);
        AppendDate(dates, "Valid from", credential["validFrom"]);
        dates.Append(validUntil is null ? "<dt>Valid until</dt><dd>Does not expire</dd>" : $"<dt>Valid until</dt><dd>{validUntil}</dd>");

        var checks = new StringBuilder();
        foreach (var check in verification.Result.Checks)
        {
            var (label, meaning) = CheckExplanations.For(check.Code);
            var (word, css) = CheckExplanations.Outcome(check.Outcome);
            // What a check means is said only when it passed; otherwise its message says what was found instead.
            var said = check.Outcome == CheckOutcome.Passed ? " " + Html.Text(meaning) : "";
            checks.Append($"""
                <li><span class="outcome {css}">{Html.Text(word)}:</span> <strong>{Html.Text(label)}</strong>.{said}<br><small>{Html.Text(check.Message)}</small></li>
                """);
        }

        var criteria = achievement["criteria"] as JsonObject;
        var caption = Text((credential["image"] as JsonObject)?["caption"]) ?? name;
        var id = credentialId is null ? null : Uri.EscapeDataString(credentialId);
        var image = id is null ? "" : $"<img class=\"badge\" src=\"{id}.png\" alt=\"{Html.Text(caption)}\">";
        var downloads = id is null ? "" : $"""
            <h2>Download</h2>
            <p><a class="button" href="{id}.png" download>Badge image (PNG)</a><a class="button" href="{id}.svg" download>Badge image (SVG)</a><a class="button" href="{id}.jwt" download>Signed credential (JWT)</a><a class="button" href="{id}.json" download>Credential (JSON)</a></p>
            <p>The badge images carry the signed credential inside them, so they can be verified anywhere.</p>
            """;
        return Layout.Render($"{verdictWord}: {name}", $"""
            <h1>{(id is null ? "Uploaded badge verification" : "Badge verification")}</h1>
            <div class="verdict verdict-{verdictWord.ToLowerInvariant()}" role="status"><strong>{verdictWord}</strong>{Html.Text(verdictText)}</div>
            {image}
            <h2>{Html.Text(name)}</h2>
            <p>{Html.Text(Text(achievement["description"]) ?? Text(credential["description"]))}</p>
            <h3>How it was earned</h3>
            {Html.Narrative(Text(criteria?["narrative"]))}
            {(Text(criteria?["id"]) is { } criteriaUrl ? "<p>" + Html.Link(criteriaUrl, "Full criteria") + "</p>" : "")}
            <dl>
            <dt>{(verification.Verdict == CredentialVerdict.Invalid ? "Claims to be issued by" : "Issued by")}</dt><dd>{Html.Link(issuerId, issuerName)}</dd>
            <dt>Awarded to</dt><dd>A learner identified by a hashed email address; the address itself is not in the badge and is not shown.</dd>
            {dates}
            </dl>
            <h2>Checks</h2>
            <p>Checked on {Html.Date(checkedAt)}.</p>
            <ul class="checks">{checks}</ul>
            {downloads}
            {UploadForm}
            """);
    }

    /// <summary>Verify another badge: a plain multipart form (no script) posting to <c>/credentials/verify</c>.</summary>
    public const string UploadForm = """
        <h2>Check a badge you were given</h2>
        <form method="post" action="/credentials/verify" enctype="multipart/form-data">
        <p><label for="badge-file">Badge image (PNG or SVG, at most 5 MB)</label><br><input id="badge-file" name="file" type="file" accept="image/png,image/svg+xml" required></p>
        <p><label for="badge-recipient">Recipient email (optional: checks the badge was issued to this address)</label><br><input id="badge-recipient" name="recipient" type="email" autocomplete="off"></p>
        <p><button class="button" type="submit">Verify badge</button></p>
        </form>
        """;

    private static void AppendDate(StringBuilder html, string label, JsonNode? node)
    {
        if (Date(node) is { } date)
        {
            html.Append($"<dt>{Html.Text(label)}</dt><dd>{date}</dd>");
        }
    }

    private static string? Date(JsonNode? node) =>
        CredentialDates.TryParse(Text(node), out var value) ? Html.Date(value) : null;

    private static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
