using System.Text;
using System.Text.Json.Nodes;
using Pipeline.Core.Contracts;
using Pipeline.Core.Credentials;
using Pipeline.Core.Stages.Revoke;
using Pipeline.Core.Storage;
using Pipeline.Core.Tests.TestData;

namespace Pipeline.Core.Tests.Stages.Revoke;

public sealed class RevokeCredentialHandlerTests
{
    private const string Admin = "admin@example.edu";

    [Fact]
    public async Task Revoke_sets_the_bit_records_state_audit_and_event()
    {
        using var scenario = new StatusScenario();
        var record = (await scenario.IssueAsync(3))[1];
        scenario.Time.Advance(TimeSpan.FromDays(2));
        var at = scenario.Time.GetUtcNow();

        var outcome = await scenario.Handler.RevokeAsync(" cred-1 ", "  Issued in error  ", Admin, CancellationToken.None);

        Assert.Equal(new RevocationOutcome.Revoked("cred-1", at), outcome);
        var list = await scenario.Store.GetListAsync(scenario.Issuer.Id, "1", CancellationToken.None);
        Assert.Equal([record.StatusListIndex], list!.ToList().SetIndexes());
        Assert.Equal(1, list.Version);
        var stored = await scenario.Ledger.GetAsync("cred-1", CancellationToken.None);
        Assert.Equal((CredentialState.Revoked, "Issued in error", (DateTimeOffset?)at), (stored!.State, stored.RevocationReason, stored.RevokedAt));
        Assert.Equal(
            [new AuditEntry { EntryId = "revoked:cred-1", CredentialId = "cred-1", Action = "revoked", Actor = Admin, At = at, Reason = "Issued in error" }],
            scenario.Audit.Entries);
        var revoked = Assert.IsType<CredentialRevoked>(Assert.Single(scenario.Events.Events));
        Assert.Equal(("revoked:cred-1", "cred-1", "Issued in error", Admin, at), (revoked.EventId, revoked.CredentialId, revoked.Reason, revoked.Actor, revoked.OccurredAt));
    }

    [Fact]
    public async Task Revoking_twice_is_AlreadyRevoked_with_no_second_audit_entry_event_or_list_change()
    {
        using var scenario = new StatusScenario();
        await scenario.IssueAsync(1);
        var first = await scenario.Handler.RevokeAsync("cred-0", "issued in error", Admin, CancellationToken.None);
        scenario.Time.Advance(TimeSpan.FromHours(1));

        var second = await scenario.Handler.RevokeAsync("cred-0", "another reason", "someone-else", CancellationToken.None);

        Assert.Equal(new RevocationOutcome.AlreadyRevoked("cred-0", ((RevocationOutcome.Revoked)first).At, "issued in error"), second);
        Assert.Single(scenario.Audit.Entries);
        Assert.Single(scenario.Events.Events);
        Assert.Equal(1, (await scenario.Store.GetListAsync(scenario.Issuer.Id, "1", CancellationToken.None))!.Version);
    }

    [Fact]
    public async Task A_revocation_interrupted_before_the_ledger_update_completes_on_retry_exactly_once()
    {
        using var scenario = new StatusScenario();
        await scenario.IssueAsync(1);
        var failing = new FailingOnceLedger(scenario.Ledger);
        var interrupted = new RevokeCredentialHandler(failing, scenario.Store, scenario.Audit, scenario.Events, scenario.Time, Microsoft.Extensions.Logging.Abstractions.NullLogger<RevokeCredentialHandler>.Instance);
        await Assert.ThrowsAsync<IOException>(() => interrupted.RevokeAsync("cred-0", "issued in error", Admin, CancellationToken.None));

        var outcome = await interrupted.RevokeAsync("cred-0", "issued in error", Admin, CancellationToken.None);

        Assert.IsType<RevocationOutcome.Revoked>(outcome);
        Assert.Single(scenario.Audit.Entries);
        Assert.Single(scenario.Events.Events);
        Assert.Equal(1, (await scenario.Store.GetListAsync(scenario.Issuer.Id, "1", CancellationToken.None))!.Version);
        Assert.Equal(CredentialState.Revoked, (await scenario.Ledger.GetAsync("cred-0", CancellationToken.None))!.State);
    }

    [Fact]
    public async Task Revoke_unknown_id_is_NotFound_and_pending_is_NotIssued_and_nothing_changes()
    {
        using var scenario = new StatusScenario();
        await scenario.IssueAsync(1, CredentialState.Pending);

        Assert.Equal(new RevocationOutcome.NotFound("nope"), await scenario.Handler.RevokeAsync("nope", "issued in error", Admin, CancellationToken.None));
        Assert.Equal(new RevocationOutcome.NotIssued("cred-0"), await scenario.Handler.RevokeAsync("cred-0", "issued in error", Admin, CancellationToken.None));

        Assert.Empty(scenario.Audit.Entries);
        Assert.Empty(scenario.Events.Events);
        Assert.Equal(0, (await scenario.Store.GetListAsync(scenario.Issuer.Id, "1", CancellationToken.None))!.Version);
    }

    [Theory]
    [InlineData("cred-0", "", "reason: expected a reason of 1–500 characters, found none")]
    [InlineData("cred-0", "   ", "reason: expected a reason of 1–500 characters, found none")]
    [InlineData("cred-0", "line one\nline two", "reason: expected one line of text, found a line break or control character")]
    [InlineData("", "issued in error", "credential_id: expected the id of the credential to revoke, found none")]
    public async Task Revoke_with_invalid_input_is_Rejected_saying_which_field_and_what(string id, string reason, string message)
    {
        using var scenario = new StatusScenario();
        await scenario.IssueAsync(1);

        var outcome = await scenario.Handler.RevokeAsync(id, reason, Admin, CancellationToken.None);

        Assert.Equal(message, Assert.IsType<RevocationOutcome.Rejected>(outcome).Message);
        Assert.Equal(CredentialState.Issued, (await scenario.Ledger.GetAsync("cred-0", CancellationToken.None))!.State);
    }

    [Fact]
    public async Task Revoke_with_a_reason_of_501_characters_is_Rejected_and_500_is_accepted()
    {
        using var scenario = new StatusScenario();
        await scenario.IssueAsync(1);

        var tooLong = await scenario.Handler.RevokeAsync("cred-0", new string('x', 501), Admin, CancellationToken.None);
        var longest = await scenario.Handler.RevokeAsync("cred-0", new string('x', 500), Admin, CancellationToken.None);

        Assert.Equal("reason: expected a reason of 1–500 characters, found 501", tooLong.Message);
        Assert.IsType<RevocationOutcome.Revoked>(longest);
    }

    [Fact]
    public async Task RevokeMany_of_a_file_whose_rows_all_pass_revokes_each_row_in_order_with_its_outcome()
    {
        using var scenario = new StatusScenario();
        var issued = await scenario.IssueAsync(4);
        const string csv =
            "Credential_ID , Reason,notes\r\n" +
            "cred-0,issued in error,x\r\n" +
            "unknown-id,issued in error\r\n" +
            "\r\n" +
            "cred-0,again\r\n" +
            "cred-3,\"Duplicate award, see ticket 12\"\r\n";

        var report = await scenario.Handler.RevokeManyAsync(new MemoryStream(Encoding.UTF8.GetBytes(csv)), Admin, CancellationToken.None);

        Assert.Null(report.FileError);
        Assert.False(report.Refused);
        Assert.Equal(
            [(2, "cred-0", "Revoked"), (3, "unknown-id", "NotFound"), (5, "cred-0", "AlreadyRevoked"), (6, "cred-3", "Revoked")],
            report.Rows.Select(r => (r.Row, r.CredentialId, r.Outcome.GetType().Name)));
        Assert.Equal((2, 1), (report.RevokedCount, report.FailedCount));
        Assert.Equal("Duplicate award, see ticket 12", (await scenario.Ledger.GetAsync("cred-3", CancellationToken.None))!.RevocationReason);
        var list = await scenario.Store.GetListAsync(scenario.Issuer.Id, "1", CancellationToken.None);
        Assert.Equal(new[] { issued[0], issued[3] }.Select(r => r.StatusListIndex).Order(), list!.ToList().SetIndexes());
    }

    [Fact]
    public async Task RevokeMany_with_rows_that_cannot_be_revoked_as_written_refuses_the_whole_file_naming_each_and_revokes_nothing()
    {
        using var scenario = new StatusScenario();
        await scenario.IssueAsync(4);
        const string csv =
            "credential_id,reason\r\n" +
            "cred-0,issued in error\r\n" +
            "cred-1,\r\n" +
            "cred-2,\"bad \"quote\" here\"\r\n" +
            ",no id\r\n" +
            "cred-3,issued in error\r\n";

        var report = await scenario.Handler.RevokeManyAsync(new MemoryStream(Encoding.UTF8.GetBytes(csv)), Admin, CancellationToken.None);

        Assert.True(report.Refused);
        Assert.Equal([(3, "cred-1"), (4, "cred-2"), (5, "")], report.Rows.Select(r => (r.Row, r.CredentialId)));
        Assert.Equal("reason: expected a reason of 1–500 characters, found none", report.Rows[0].Outcome.Message);
        Assert.StartsWith("row: expected quotes only around whole cells", report.Rows[1].Outcome.Message, StringComparison.Ordinal);
        Assert.Equal("credential_id: expected the id of the credential to revoke, found none", report.Rows[2].Outcome.Message);
        Assert.StartsWith("Nothing was revoked: 3 rows to fix first", report.RefusalDetail, StringComparison.Ordinal);
        Assert.Empty(scenario.Audit.Entries);
        Assert.Equal(CredentialState.Issued, (await scenario.Ledger.GetAsync("cred-0", CancellationToken.None))!.State);
    }

    /// <summary>Issue 21, item 3: a record over 64 KB after good rows threw out of the reader once those rows were revoked.</summary>
    [Fact]
    public async Task RevokeMany_with_a_record_over_64_KB_after_good_rows_refuses_the_file_naming_the_row_before_revoking_any()
    {
        using var scenario = new StatusScenario();
        await scenario.IssueAsync(2);
        var csv = $"credential_id,reason\ncred-0,issued in error\ncred-1,{new string('r', 70 * 1024)}\ncred-1,issued in error\n";

        var report = await scenario.Handler.RevokeManyAsync(new MemoryStream(Encoding.UTF8.GetBytes(csv)), Admin, CancellationToken.None);

        Assert.True(report.Refused);
        var row = Assert.Single(report.Rows);
        Assert.Equal(3, row.Row);
        Assert.Matches("^row: expected a row of at most 65536 bytes \\(64 KB\\); found 7[0-9]{4} bytes starting \"cred-1,rrr", row.Outcome.Message);
        Assert.Empty(scenario.Audit.Entries);
        Assert.Equal(CredentialState.Issued, (await scenario.Ledger.GetAsync("cred-0", CancellationToken.None))!.State);
    }

    [Fact]
    public async Task RevokeMany_of_a_file_that_is_not_UTF8_is_refused_naming_the_row()
    {
        using var scenario = new StatusScenario();
        await scenario.IssueAsync(1);
        byte[] csv = [.. "credential_id,reason\ncred-0,issued in error\ncred-0,caf"u8.ToArray(), 0xE9, .. "\n"u8.ToArray()];

        var report = await scenario.Handler.RevokeManyAsync(new MemoryStream(csv), Admin, CancellationToken.None);

        Assert.Equal("Row 3 is not UTF-8 (byte 55 of the file starts no character); save the file as UTF-8 and send it again.", report.FileError);
        Assert.Empty(scenario.Audit.Entries);
    }

    [Theory]
    [InlineData("", "The file is empty: expected the header \"credential_id,reason\".")]
    [InlineData("id,why\ncred-0,issued in error\n", "Row 1 (header): expected the columns \"credential_id\" and \"reason\", found \"id\", \"why\".")]
    public async Task RevokeMany_without_the_required_header_rejects_the_file_and_revokes_nothing(string csv, string error)
    {
        using var scenario = new StatusScenario();
        await scenario.IssueAsync(1);

        var report = await scenario.Handler.RevokeManyAsync(new MemoryStream(Encoding.UTF8.GetBytes(csv)), Admin, CancellationToken.None);

        Assert.Equal(error, report.FileError);
        Assert.Empty(report.Rows);
        Assert.Empty(scenario.Audit.Entries);
    }

    /// <summary>
    /// Why there is no suspension: a credential would need a second <c>credentialStatus</c> entry (statusPurpose is per
    /// list), and the OB 3.0 AchievementCredential schema allows exactly one status object, not an array.
    /// </summary>
    [Fact]
    public void The_OB_schema_rejects_a_second_status_entry_which_suspension_would_need()
    {
        var credential = OpenBadgeCredentialBuilder.Build(CredentialTestData.Request(CredentialTestData.SimpleBadge()));
        var issuer = CredentialTestData.Issuer();
        var revocation = new StatusListEntry(issuer.Urls.StatusList(issuer.Id, "1"), 94567).ToJson();
        var suspension = new StatusListEntry(issuer.Urls.StatusList(issuer.Id, "1-suspension"), 94567, "suspension").ToJson();
        Assert.Empty(CredentialTestData.SchemaErrors("ob_v3p0_achievementcredential_schema.json", credential));

        credential["credentialStatus"] = new JsonArray(revocation, suspension);

        Assert.NotEmpty(CredentialTestData.SchemaErrors("ob_v3p0_achievementcredential_schema.json", credential));
    }

    private sealed class FailingOnceLedger(ICredentialLedger inner) : ICredentialLedger
    {
        private bool _failed;

        public Task<(CredentialRecord Record, bool Added)> TryAddAsync(CredentialRecord record, CancellationToken cancellationToken) => inner.TryAddAsync(record, cancellationToken);

        public Task<CredentialRecord?> GetAsync(string credentialId, CancellationToken cancellationToken) => inner.GetAsync(credentialId, cancellationToken);

        public Task UpdateStateAsync(string credentialId, CredentialState state, string? reason, DateTimeOffset at, CancellationToken cancellationToken)
        {
            if (!_failed)
            {
                _failed = true;
                throw new IOException("The ledger is unavailable.");
            }
            return inner.UpdateStateAsync(credentialId, state, reason, at, cancellationToken);
        }

        public Task<IReadOnlyList<CredentialRecord>> GetByLearnerAsync(string learnerId, CancellationToken cancellationToken) => inner.GetByLearnerAsync(learnerId, cancellationToken);
    }
}
