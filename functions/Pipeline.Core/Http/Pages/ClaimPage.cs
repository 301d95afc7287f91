using Pipeline.Core.Catalog;

namespace Pipeline.Core.Http.Pages;

/// <summary>What the claim page shows: one issued credential, as its learner sees it.</summary>
internal sealed record ClaimView
{
    public required string CredentialId { get; init; }
    public required Issuer Issuer { get; init; }
    public required Achievement Achievement { get; init; }
    /// <summary>The learner's name as the institution sent it; null when unknown.</summary>
    public string? LearnerName { get; init; }
    public required DateTimeOffset AwardedAt { get; init; }
    public DateTimeOffset? ValidUntil { get; init; }
    public bool Revoked { get; init; }
}

/// <summary>
/// <c>/claim/{token}</c>: the learner's page for a badge: the image, what it certifies and how it was earned, the
/// issuer and dates, downloads, "Add to LinkedIn" and the public verification link. Links are relative to
/// <c>/claim/</c> except the public verification URL, which is the one signed into the credential.
/// </summary>
internal static class ClaimPage
{
    public static string Render(ClaimView view)
    {
        var issuer = view.Issuer;
        var achievement = view.Achievement;
        var urls = issuer.Urls;
        var verificationUrl = urls.Credential(view.CredentialId);
        var linkedIn = LinkedIn.AddToProfileUrl(achievement.Name, issuer.Name, view.AwardedAt, view.ValidUntil, verificationUrl, view.CredentialId);
        var file = "../credentials/" + Uri.EscapeDataString(view.CredentialId);
        var greeting = string.IsNullOrWhiteSpace(view.LearnerName) ? "Congratulations!" : $"Congratulations, {view.LearnerName}!";
        var revoked = view.Revoked
            ? "<p class=\"notice\" role=\"status\">The issuer has revoked this badge. It is kept here for your records, but it no longer verifies as valid.</p>"
            : "";
        return Layout.Render(achievement.Name, $"""
            <p>{Html.Text(greeting)}</p>
            <h1>{Html.Text(achievement.Name)}</h1>
            {revoked}
            <img class="badge" src="{file}.png" alt="{Html.Text(achievement.ImageCaption ?? achievement.Name)}">
            <h2>What it certifies</h2>
            <p>{Html.Text(achievement.Description)}</p>
            <h2>How you earned it</h2>
            {Html.Narrative(achievement.Criteria.Narrative)}
            {(achievement.Criteria.Url is { } criteria ? "<p>" + Html.Link(criteria.AbsoluteUri, "Full criteria") + "</p>" : "")}
            <dl>
            <dt>Issued by</dt><dd>{Html.Link(issuer.Url.AbsoluteUri, issuer.Name)}</dd>
            <dt>Awarded</dt><dd>{Html.Date(view.AwardedAt)}</dd>
            <dt>Valid until</dt><dd>{(view.ValidUntil is { } until ? Html.Date(until) : "Does not expire")}</dd>
            </dl>
            <h2>Share it</h2>
            <p><a class="button" href="{Html.Text(linkedIn)}">Add to LinkedIn profile</a></p>
            <p>Anyone can check your badge at its public verification page: {Html.Link(verificationUrl.AbsoluteUri, verificationUrl.AbsoluteUri)}</p>
            <p><label for="verification-link">Verification link (select it and copy it into a CV, an email or a profile)</label><br><input id="verification-link" class="copy" type="text" readonly value="{Html.Text(verificationUrl.AbsoluteUri)}"></p>
            <p>Or let someone scan it from your phone:</p>
            {QrCode.Svg(verificationUrl, "QR code of the verification link " + verificationUrl.AbsoluteUri)}
            <h2>Download</h2>
            <p><a class="button" href="{file}.png" download>Badge image (PNG)</a><a class="button" href="{file}.svg" download>Badge image (SVG)</a><a class="button" href="{file}.jwt" download>Signed credential (JWT)</a><a class="button" href="{file}.json" download>Credential (JSON)</a></p>
            <p>The badge images carry your signed credential inside them: upload one to a badge backpack or wallet and it can be verified anywhere.</p>
            <p>Keep this link private: it is your personal claim link.</p>
            """);
    }
}

/// <summary>
/// The claim page for a token that is unknown, expired, or whose badge cannot be shown: one fixed page, the same
/// for every case, so it tells nobody whether a token ever existed or whose badge it was.
/// </summary>
internal static class ClaimUnavailablePage
{
    /// <summary>Where the "send me a new link" form posts (<see cref="ClaimLinks.NewClaimLinkEndpoint"/>).</summary>
    public const string NewLinkAction = "/claim";

    public static string Render() => Layout.Render("Claim link not valid", $"""
        <h1>This claim link is not valid</h1>
        <p>The link may have expired, or it may not have been copied completely.</p>
        <h2>Get a new link</h2>
        <p>Enter the email address your institution has for you. If a badge is waiting for that address, we will email a new claim link to it.</p>
        <form method="post" action="{NewLinkAction}">
        <label for="email">Email address</label>
        <input type="email" id="email" name="email" autocomplete="email" required>
        <button type="submit">Send me a new link</button>
        </form>
        """);
}

/// <summary>The answer to "send me a new link": the same words whether or not a badge was found for the address.</summary>
internal static class NewClaimLinkPage
{
    public static string Render() => Layout.Render("Check your email", """
        <h1>Check your email</h1>
        <p>If we found a badge for this address, we have sent a new link to it. It can take a few minutes to arrive; check your spam folder too.</p>
        <p>No email? Your institution may have a different address for you: ask the office that awarded the badge.</p>
        """);
}
