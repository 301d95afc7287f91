using System.Text;
using System.Text.Json.Nodes;
using Pipeline.Core.Baking;
using Pipeline.Core.Contracts;
using Pipeline.Core.Stages.Issue;
using Pipeline.Core.Storage;
using Pipeline.Core.Tests.TestData;
using Pipeline.Core.Verification;
using static Pipeline.Core.Tests.TestData.StageScenario;

namespace Pipeline.Core.Tests.Stages.Issue;

public sealed class IssueCredentialHandlerTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task Issue_writes_the_files_marks_issued_audits_publishes_and_asks_for_the_claim_email()
    {
        using var scenario = new StageScenario();
        var request = (await scenario.EarnAllAsync()).Single(r => r.AchievementId == Robotics);
        scenario.Time.Advance(TimeSpan.FromMinutes(5));

        var result = await scenario.Issue.HandleAsync(request, None);

        var id = request.CredentialId;
        Assert.Equal(new IssueOutcome(IssueOutcomeKind.Issued, id), result.Outcome);
        foreach (var extension in new[] { "jwt", "json", "png", "svg" })
        {
            Assert.True(scenario.Blobs.Exists(Containers.Credentials, BlobNames.CredentialFile(id, extension)), extension);
        }
        Assert.True(scenario.Blobs.Exists(Containers.Public, BlobNames.Ob2Assertion(id)));
        var record = (await scenario.Credentials.GetAsync(id, None))!;
        Assert.Equal((CredentialState.Issued, Robotics, Learner, scenario.Time.GetUtcNow()), (record.State, record.AchievementId, record.LearnerId, record.IssuedAt));
        var audit = Assert.Single(scenario.Audit.Entries);
        Assert.Equal(("issued:" + id, id, "issued", "pipeline"), (audit.EntryId, audit.CredentialId, audit.Action, audit.Actor));
        var issued = Assert.IsType<CredentialIssued>(Assert.Single(scenario.Publisher.Events));
        Assert.Equal((id, "arizona", Robotics, Learner, request.CorrelationId), (issued.CredentialId, issued.IssuerId, issued.AchievementId, issued.LearnerId, issued.CorrelationId));
        Assert.Equal(scenario.Catalog.Issuers["arizona"].Urls.Credential(id), issued.VerificationUrl);
        var email = Assert.Single(result.Emitted);
        Assert.Equal(Queues.Emails, email.Queue);
        Assert.Equal(new SendClaimEmail { CorrelationId = request.CorrelationId, CredentialId = id }, StageMessages.DecodeSendClaimEmail(email.Body));
    }

    [Fact]
    public async Task The_issued_jwt_verifies_against_the_issuer_jwks_and_the_json_validates_against_the_shared_schema()
    {
        using var scenario = new StageScenario();
        var id = await scenario.IssueRoboticsAsync();
        var jwt = scenario.Blobs.Text(Containers.Credentials, BlobNames.CredentialFile(id, "jwt"))!;
        var verifier = await scenario.VerifierAsync(scenario.Catalog.Issuers["arizona"]);

        var verification = await verifier.VerifyAsync(jwt, new VerificationOptions { RecipientEmail = Profile.Email }, None);

        Assert.True(verification.IsValid, string.Join("; ", verification.Checks.Select(c => $"{c.Code}: {c.Outcome} {c.Message}")));
        Assert.Equal(CheckOutcome.Passed, verification.Find(CheckCodes.JwtSignature)!.Outcome);
        var json = JsonNode.Parse(scenario.Blobs.Text(Containers.Credentials, BlobNames.CredentialFile(id, "json"))!)!;
        Assert.Empty(CredentialTestData.SchemaErrors(CredentialSchemas.AchievementCredential, json));
        Assert.Empty(CredentialTestData.SchemaErrors(CredentialSchemas.AchievementCredential, verification.Credential!));
        Assert.Equal(scenario.Catalog.Issuers["arizona"].Urls.Credential(id).AbsoluteUri, (string?)json["id"]);
    }

    [Fact]
    public async Task The_baked_png_and_svg_unbake_to_the_stored_jwt()
    {
        using var scenario = new StageScenario();
        var id = await scenario.IssueRoboticsAsync();
        var jwt = scenario.Blobs.Text(Containers.Credentials, BlobNames.CredentialFile(id, "jwt"))!;

        var png = PngBakery.Unbake(scenario.Blobs.Bytes(Containers.Credentials, BlobNames.CredentialFile(id, "png")));
        var svg = SvgBakery.Unbake(scenario.Blobs.Bytes(Containers.Credentials, BlobNames.CredentialFile(id, "svg")));

        Assert.Equal(BakedCredential.Ob3Jwt(jwt), png.Value);
        Assert.Equal(BakedCredential.Ob3Jwt(jwt), svg.Value);
    }

    [Fact]
    public async Task The_OB2_assertion_image_is_a_png_baked_with_the_hosted_assertion_and_the_OB3_png_keeps_only_the_jwt()
    {
        using var scenario = new StageScenario();
        var id = await scenario.IssueRoboticsAsync();
        var hosted = scenario.Blobs.Text(Containers.Public, BlobNames.Ob2Assertion(id))!;
        var assertion = JsonNode.Parse(hosted)!;

        var baked = PngBakery.Unbake(scenario.Blobs.Bytes(Containers.Public, BlobNames.Ob2AssertionImage(id)));

        Assert.Equal(scenario.Catalog.Issuers["arizona"].Urls.Ob2AssertionImage(id).AbsoluteUri, (string?)assertion["image"]);
        Assert.True(baked.Succeeded, baked.Error?.Message);
        Assert.Equal(BakedCredentialFormat.Ob2Json, baked.Value.Format);
        Assert.Equal(hosted.Trim(), baked.Value.Payload);
        Assert.Equal(BakedCredentialFormat.Ob3Jwt, PngBakery.Unbake(scenario.Blobs.Bytes(Containers.Credentials, BlobNames.CredentialFile(id, "png"))).Value?.Format);
    }

    [Fact]
    public async Task A_retry_after_a_crash_after_the_claim_reuses_the_status_slot_and_issue_time()
    {
        using var scenario = new StageScenario();
        var request = (await scenario.EarnAllAsync()).Single(r => r.AchievementId == Robotics);
        var crashing = scenario.CreateIssueHandler(new FailingBlobStore(scenario.Blobs));
        await Assert.ThrowsAsync<IOException>(() => crashing.HandleAsync(request, None));
        var claimed = (await scenario.Credentials.GetAsync(request.CredentialId, None))!;
        Assert.Equal(CredentialState.Pending, claimed.State);
        scenario.Time.Advance(TimeSpan.FromHours(3));

        var result = await scenario.Issue.HandleAsync(request, None);

        Assert.Equal(IssueOutcomeKind.Issued, result.Outcome.Kind);
        var issued = (await scenario.Credentials.GetAsync(request.CredentialId, None))!;
        Assert.Equal(
            (claimed.StatusListId, claimed.StatusListIndex, claimed.IssuedAt, claimed.RecipientSalt),
            (issued.StatusListId, issued.StatusListIndex, issued.IssuedAt, issued.RecipientSalt));
        Assert.Equal(CredentialState.Issued, issued.State);
        var json = JsonNode.Parse(scenario.Blobs.Text(Containers.Credentials, BlobNames.CredentialFile(request.CredentialId, "json"))!)!;
        Assert.Equal(claimed.StatusListIndex.ToString(System.Globalization.CultureInfo.InvariantCulture), (string?)json["credentialStatus"]!["statusListIndex"]);
        Assert.Single(scenario.Audit.Entries);
    }

    [Fact]
    public async Task Already_issued_reemits_the_claim_email_only_while_it_is_not_sent()
    {
        using var scenario = new StageScenario();
        var request = (await scenario.EarnAllAsync()).Single(r => r.AchievementId == Robotics);
        await scenario.Issue.HandleAsync(request, None);
        var files = scenario.Blobs.Bytes(Containers.Credentials, BlobNames.CredentialFile(request.CredentialId, "jwt"));

        var unsent = await scenario.Issue.HandleAsync(request, None);
        await scenario.Notify.HandleAsync(new SendClaimEmail { CorrelationId = "c", CredentialId = request.CredentialId }, None);
        var sent = await scenario.Issue.HandleAsync(request, None);

        Assert.Equal(IssueOutcomeKind.AlreadyIssued, unsent.Outcome.Kind);
        Assert.Equal(request.CredentialId, StageMessages.DecodeSendClaimEmail(Assert.Single(unsent.Emitted).Body).CredentialId);
        Assert.Equal(IssueOutcomeKind.AlreadyIssued, sent.Outcome.Kind);
        Assert.Empty(sent.Emitted);
        Assert.Equal(files, scenario.Blobs.Bytes(Containers.Credentials, BlobNames.CredentialFile(request.CredentialId, "jwt")));
        Assert.Single(scenario.Audit.Entries);
        Assert.Single(scenario.Publisher.Events);
    }

    [Fact]
    public async Task Concurrent_duplicates_issue_one_credential_whose_jwt_and_baked_images_agree()
    {
        using var scenario = new StageScenario();
        var request = (await scenario.EarnAllAsync()).Single(r => r.AchievementId == Robotics);

        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => scenario.Issue.HandleAsync(request, None))));

        Assert.Equal(1, results.Count(r => r.Outcome.Kind == IssueOutcomeKind.Issued));
        var jwt = scenario.Blobs.Text(Containers.Credentials, BlobNames.CredentialFile(request.CredentialId, "jwt"))!;
        Assert.Equal(jwt, PngBakery.Unbake(scenario.Blobs.Bytes(Containers.Credentials, BlobNames.CredentialFile(request.CredentialId, "png"))).Value?.Payload);
        Assert.Equal(jwt, SvgBakery.Unbake(scenario.Blobs.Bytes(Containers.Credentials, BlobNames.CredentialFile(request.CredentialId, "svg"))).Value?.Payload);
        Assert.Single(scenario.Audit.Entries);
    }

    [Fact]
    public async Task An_unknown_achievement_is_an_InvalidMessageException()
    {
        using var scenario = new StageScenario();
        var request = (await scenario.EarnAllAsync()).Single(r => r.AchievementId == Robotics);

        var exception = await Assert.ThrowsAsync<InvalidMessageException>(() => scenario.Issue.HandleAsync(request with { AchievementId = "no-such-badge" }, None));

        Assert.Contains("\"no-such-badge\" is not in the catalog", exception.Message, StringComparison.Ordinal);
        Assert.Null(await scenario.Credentials.GetAsync(request.CredentialId, None));
    }

    [Fact]
    public async Task A_credential_id_that_is_not_the_derived_one_is_an_InvalidMessageException()
    {
        using var scenario = new StageScenario();
        var request = (await scenario.EarnAllAsync()).Single(r => r.AchievementId == Robotics);

        var exception = await Assert.ThrowsAsync<InvalidMessageException>(() => scenario.Issue.HandleAsync(request with { CredentialId = "forged" }, None));

        Assert.Contains($"expected \"{request.CredentialId}\"", exception.Message, StringComparison.Ordinal);
        Assert.Null(await scenario.Credentials.GetAsync("forged", None));
    }

    /// <summary>Fails the first write (a crash after the ledger claim, before any file is stored), then delegates.</summary>
    private sealed class FailingBlobStore(IBlobStore inner) : IBlobStore
    {
        private int _failures = 1;

        public Task PutAsync(string container, string name, ReadOnlyMemory<byte> content, string contentType, CancellationToken cancellationToken) =>
            Interlocked.Decrement(ref _failures) >= 0
                ? throw new IOException($"disk full writing {container}/{name}")
                : inner.PutAsync(container, name, content, contentType, cancellationToken);

        public Task<BlobContent?> GetAsync(string container, string name, CancellationToken cancellationToken) => inner.GetAsync(container, name, cancellationToken);

        public Task<Stream?> OpenReadAsync(string container, string name, CancellationToken cancellationToken) => inner.OpenReadAsync(container, name, cancellationToken);

        public IAsyncEnumerable<string> ListAsync(string container, CancellationToken cancellationToken) => inner.ListAsync(container, cancellationToken);

        public Task<bool> DeleteAsync(string container, string name, CancellationToken cancellationToken) => inner.DeleteAsync(container, name, cancellationToken);

        public Task<bool> MoveAsync(string sourceContainer, string name, string targetContainer, CancellationToken cancellationToken) =>
            inner.MoveAsync(sourceContainer, name, targetContainer, cancellationToken);
    }
}
