using System.Text;
using System.Text.Json.Nodes;
using Pipeline.Core.Stages.Revoke;
using Pipeline.Core.Storage;
using Pipeline.Core.Tests.TestData;
using Pipeline.Local.Cli;
using Pipeline.Local.Hosting;
using Pipeline.Local.Storage;

namespace Pipeline.Local.Tests.Cli;

/// <summary><c>verify</c> and <c>revoke</c> run as a user runs them, on a data folder a real <c>demo</c> filled.</summary>
public sealed class VerifyAndRevokeCommandTests(DemoDataFolder demo) : IClassFixture<DemoDataFolder>
{
    private LocalPaths Paths => LocalPaths.For(demo.Path);

    private string[] CredentialIds() =>
        [.. Directory.GetFiles(Path.Combine(Paths.Blobs, Containers.Credentials), "*.jwt").Select(f => Path.GetFileNameWithoutExtension(f)).Order(StringComparer.Ordinal)];

    private Task<CliRun> RunAsync(params string[] args) => CliProcess.RunAsync(demo.WorkingDirectory, [.. args, "--data", demo.Path]);

    private string CredentialFile(string id, string extension) => Path.Combine(Paths.Blobs, Containers.Credentials, $"{id}.{extension}");

    [Fact]
    public async Task A_badge_image_the_demo_issued_verifies_valid_with_every_check_in_plain_words_and_exit_code_0()
    {
        var run = await RunAsync("verify", CredentialFile(CredentialIds()[0], "png"));

        Assert.True(run.ExitCode == VerifyCommand.Valid, run.Output + run.Error);
        Assert.StartsWith("Valid: This badge is authentic: ", run.Lines[0], StringComparison.Ordinal);
        Assert.Contains("  Passed: Signature. The issuer's signature matches, so nothing in the badge has changed since it was issued.", run.Lines);
        Assert.Contains("  Passed: Not revoked. The issuer does not mark this badge as revoked or suspended.", run.Lines);
    }

    [Fact]
    public async Task The_demo_verification_link_verifies_from_the_data_folder_and_json_gives_the_API_answer()
    {
        var link = demo.Demo.Lines.Single(l => l.StartsWith("http://localhost:5080/credentials/", StringComparison.Ordinal));

        var run = await RunAsync("verify", link, "--json");

        Assert.True(run.ExitCode == VerifyCommand.Valid, run.Output + run.Error);
        var answer = JsonNode.Parse(run.Output)!;
        Assert.Equal("valid", (string?)answer["verdict"]);
        Assert.Equal(link, (string?)answer["credential"]!["id"]);
        Assert.Contains(answer["checks"]!.AsArray(), c => (string?)c!["code"] == "jwt-signature" && (string?)c["outcome"] == "passed");
    }

    [Fact]
    public async Task A_tampered_credential_is_invalid_with_the_failed_signature_named_and_exit_code_1()
    {
        var jwt = await File.ReadAllTextAsync(CredentialFile(CredentialIds()[0], "jwt"));
        var parts = jwt.Trim().Split('.');
        var payload = JsonNode.Parse(Convert.FromBase64String(Pad(parts[1])))!;
        payload["name"] = "A badge nobody issued";
        var tampered = Path.Combine(demo.WorkingDirectory, "tampered.jwt");
        await File.WriteAllTextAsync(tampered, $"{parts[0]}.{Base64Url(payload.ToJsonString())}.{parts[2]}");

        var run = await RunAsync("verify", tampered);

        Assert.True(run.ExitCode == VerifyCommand.NotValid, run.Output + run.Error);
        Assert.StartsWith("Invalid: This badge could not be verified", run.Lines[0], StringComparison.Ordinal);
        Assert.Contains(run.Lines, l => l.StartsWith("  Failed: Signature.", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_missing_file_is_exit_code_2_with_the_path_it_looked_for()
    {
        var missing = Path.Combine(demo.WorkingDirectory, "no-such-badge.png");

        var run = await RunAsync("verify", missing);

        Assert.Equal(VerifyCommand.CannotVerify, run.ExitCode);
        Assert.Equal($"verify: there is no file {missing}; give a baked PNG or SVG, a .jwt or .json file, or an http(s) URL.", run.Error.Trim());
        Assert.Equal("", run.Output);
    }

    [Fact]
    public async Task Revoke_goes_through_the_revocation_handler_audits_the_cli_user_and_republishes_so_verify_says_revoked()
    {
        var id = CredentialIds()[^1];

        var revoke = await RunAsync("revoke", id, "--reason", "Granted in error");

        Assert.True(revoke.ExitCode == 0, revoke.Output + revoke.Error);
        Assert.Contains(id, revoke.Lines);
        using (var database = await SqliteDatabase.OpenAsync(demo.Path, CancellationToken.None))
        {
            var audit = await new SqliteAuditLog(database).GetByCredentialAsync(id, CancellationToken.None);
            var entry = Assert.Single(audit, a => a.Action == RevokeCredentialHandler.AuditAction);
            Assert.Equal((RevokeCredentialHandler.AuditAction, "cli:" + Environment.UserName, "Granted in error"), (entry.Action, entry.Actor, entry.Reason));
            Assert.Equal(CredentialState.Revoked, (await new SqliteCredentialLedger(database).GetAsync(id, CancellationToken.None))!.State);
        }

        var verify = await RunAsync("verify", CredentialFile(id, "png"));
        Assert.True(verify.ExitCode == VerifyCommand.NotValid, verify.Output + verify.Error);
        Assert.StartsWith("Revoked: ", verify.Lines[0], StringComparison.Ordinal);

        var again = await RunAsync("revoke", id, "--reason", "Twice");
        Assert.Equal(1, again.ExitCode);
        Assert.Equal($"revoke: Credential {id} was already revoked (Granted in error); nothing changed.", again.Error.Trim());
    }

    [Theory]
    [InlineData(ForgeryKey.Rsa, "jwt")]
    [InlineData(ForgeryKey.EC, "jwt")]
    [InlineData(ForgeryKey.Rsa, "png")]
    public async Task The_issue_21_forgery_in_our_issuers_name_is_invalid_with_the_issuers_key_check_failed_and_exit_code_1(ForgeryKey key, string form)
    {
        using var forger = new ForgedCredentials(key);
        var genuine = await File.ReadAllTextAsync(CredentialFile(CredentialIds()[0], "jwt"));
        var forged = forger.WithHeaderJwk(ForgedCredentials.Impersonating(genuine));
        var file = Path.Combine(demo.WorkingDirectory, $"forged-{key}.{form}");
        if (form == "png")
        {
            var art = Directory.GetFiles(Path.Combine(RepositoryPaths.Samples, "catalog", "images"), "*.png").Order(StringComparer.Ordinal).First();
            await File.WriteAllBytesAsync(file, ForgedCredentials.BakePng(await File.ReadAllBytesAsync(art), forged));
        }
        else
        {
            await File.WriteAllTextAsync(file, forged);
        }

        var run = await RunAsync("verify", file);

        Assert.True(run.ExitCode == VerifyCommand.NotValid, run.Output + run.Error);
        Assert.StartsWith("Invalid: This badge could not be verified", run.Lines[0], StringComparison.Ordinal);
        Assert.Contains(run.Lines, l => l.StartsWith("Badge: Doctor of Medicine, claims to be issued by ", StringComparison.Ordinal));
        Assert.Contains(run.Lines, l => l.StartsWith("  Failed: Issuer's key.", StringComparison.Ordinal));
        Assert.DoesNotContain(run.Lines, l => l.Contains("authentic", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Revoking_an_unknown_id_says_so_and_exits_1()
    {
        var run = await RunAsync("revoke", "AAAAAAAAAAAAAAAAAAAAAA", "--reason", "Typo");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("revoke: No credential AAAAAAAAAAAAAAAAAAAAAA exists.", run.Error.Trim());
    }

    private static string Pad(string base64Url)
    {
        var text = base64Url.Replace('-', '+').Replace('_', '/');
        return text.PadRight(text.Length + ((4 - (text.Length % 4)) % 4), '=');
    }

    private static string Base64Url(string json) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(json)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
