using Pipeline.Core.Pathways;
using Pipeline.Core.Stages.Notify;
using Pipeline.Core.Tests.TestData;

namespace Pipeline.Core.Tests.Golden;

/// <summary>
/// Pins the claim email's text and HTML bodies (what the learner reads) from fixed inputs over the sample catalog.
/// To accept an intended change: run <c>UPDATE_GOLDEN=1 dotnet test tests/Pipeline.Core.Tests</c>, then review the diff.
/// </summary>
public sealed class ClaimEmailGoldenTests
{
    [Fact]
    public void Claim_email_text_body_matches_the_golden_file() =>
        GoldenFileTests.AssertGolden("claim-email.txt", Email().TextBody);

    [Fact]
    public void Claim_email_html_body_matches_the_golden_file() =>
        GoldenFileTests.AssertGolden("claim-email.html", Email().HtmlBody);

    [Fact]
    public void Claim_email_headers_are_derived_from_the_credential_and_catalog()
    {
        var email = Email();

        Assert.Equal("cred-golden@badges.arizona.example.edu", email.MessageId);
        Assert.Equal("You earned the Robotics Micro-Credential badge from University of Arizona", email.Subject);
    }

    private static Pipeline.Core.Storage.EmailMessage Email()
    {
        var catalog = SampleCatalog.Catalog;
        var achievement = catalog.Achievements["arizona-robotics"];
        var issuer = catalog.IssuerOf(achievement);
        var learner = new LearnerProfile { LearnerId = "S1001", Email = "zoe.o'neil@example.edu", GivenName = "Zoë <b>", FamilyName = "O'Neil" };
        return ClaimEmail.Compose("cred-golden", issuer, achievement, learner,
            issuer.Urls.Claim("tok_en-123"), new DateTimeOffset(2027, 3, 20, 10, 0, 0, TimeSpan.Zero), new byte[] { 1, 2, 3 }, fromAddress: null);
    }
}
