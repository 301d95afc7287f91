using System.CommandLine;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Pipeline.Core.Verification;
using Pipeline.Core.Http;
using Pipeline.Core.Http.Pages;
using Pipeline.Core.Http.Verify;
using Pipeline.Core.Storage;
using Pipeline.Local.Hosting;
using Spectre.Console;

namespace Pipeline.Local.Cli;

/// <summary>
/// <c>verify FILE|URL</c>: the checks of <c>POST /api/verify</c> and the verification page, on a file or a URL, with the
/// page's words (or the API's JSON with <c>--json</c>). Exit code 0 only for a valid badge, 1 for revoked, expired or
/// invalid, 2 when there is nothing to verify (no such file, unreadable input, a URL that cannot be fetched).
/// </summary>
internal static partial class VerifyCommand
{
    public const int Valid = 0;
    public const int NotValid = 1;
    public const int CannotVerify = 2;

    private const string UrlAccept = "application/jwt, image/png;q=0.9, image/svg+xml;q=0.9, application/vc+ld+json;q=0.8, application/ld+json;q=0.8, application/json;q=0.7";

    /// <summary>The end of <c>verify --help</c>: what is checked, where keys and status come from, the exit codes.</summary>
    public const string Details = """
        What it checks (the checks of the verification page and POST /api/verify, in the same words):
          the badge can be read; it is signed with an accepted method (RS256 or ES256) by a key its issuer publishes;
          the signature matches, so nothing changed; the signed issuer, id, recipient and dates are the badge's;
          it follows the Open Badges 3.0 data format and names its recipient; it is in effect and not expired;
          the issuer's signed status list does not mark it revoked; with --recipient, it was issued to that email.
          An OB 2.0 hosted assertion is checked against the copy its issuer hosts (badge class, issuer, origin,
          dates, revocation).
        Our own issuers' keys and status lists are read from the data folder (--data: the folder of the host that
        issued the badge); other issuers' are fetched over https from public addresses only. A URL of one of our
        own credentials (BASE/credentials/ID, or its .jwt .png .svg .json) is read from the data folder, so the
        links demo prints work without serve; an OB 2.0 assertion URL of ours needs serve running.

        Exit code: 0 valid; 1 revoked, expired or invalid; 2 nothing to verify (no such file, unreadable input,
        a URL that cannot be fetched, no data folder).
        """;

    public static Command Create()
    {
        var input = new Argument<string>("file-or-url")
        {
            Description = "A baked badge (PNG or SVG), a VC-JWT file, a JSON credential or OB 2.0 assertion, or an http(s) URL of one.",
        };
        var recipient = new Option<string?>("--recipient") { Description = "Also check the badge was issued to this email address." };
        var json = new Option<bool>("--json") { Description = "Print the JSON answer of POST /api/verify instead of plain words." };
        var command = new Command("verify", "Verify a badge file or URL as the verification page does; exit code 0 only when it is valid.")
        {
            input, CommonOptions.Data, CommonOptions.Catalog, recipient, json,
        };
        command.SetAction((result, cancellationToken) => RunAsync(
            result.GetRequiredValue(input), LocalPaths.For(result.GetRequiredValue(CommonOptions.Data), result.GetValue(CommonOptions.Catalog)),
            result.GetValue(recipient), result.GetValue(json), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(string argument, LocalPaths paths, string? recipient, bool asJson, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(paths.CatalogFolder))
        {
            Console.Error.WriteLine($"verify: no catalog at {paths.CatalogFolder}: run demo first, or name the data folder of the issuer's host with --data.");
            return CannotVerify;
        }
        using var runtime = await CommonOptions.OpenRuntimeAsync(paths, cancellationToken);
        if (runtime is null)
        {
            return CannotVerify;
        }
        using var host = PipelineHosts.BuildWorkerHost(runtime, builder => builder.Services.AddLocalHttp(runtime));
        await using var scope = host.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;

        var (read, problem) = await ReadAsync(argument, recipient, runtime, services, cancellationToken);
        if (problem is not null)
        {
            Console.Error.WriteLine($"verify: {problem}");
            return CannotVerify;
        }
        var verification = await services.GetRequiredService<VerifyEndpoints>().VerifyAsync(read!, cancellationToken);
        var checkedAt = services.GetRequiredService<TimeProvider>().GetUtcNow();
        if (asJson)
        {
            AnsiConsole.Profile.Out.Writer.WriteLine(VerifyEndpoints.Body(verification, checkedAt).ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        }
        else
        {
            Print(verification);
        }
        return verification.Verdict == CredentialVerdict.Valid ? Valid : NotValid;
    }

    /// <summary>What to verify, read as <c>POST /api/verify</c> reads an upload, or why there is nothing to verify.</summary>
    private static async Task<(VerificationInput? Input, string? Problem)> ReadAsync(
        string argument, string? recipient, PipelineRuntime runtime, IServiceProvider services, CancellationToken cancellationToken)
    {
        byte[] content;
        string what;
        if (Uri.TryCreate(argument, UriKind.Absolute, out var url) && url.Scheme is "http" or "https")
        {
            if (OwnCredentialFile(url, runtime) is { } own)
            {
                var blob = await services.GetRequiredService<IBlobStore>().GetAsync(Containers.Credentials, own, cancellationToken);
                if (blob is null)
                {
                    return (null, $"{url} names a credential of this host's issuers that is not in {Path.Combine(runtime.Paths.Blobs, Containers.Credentials)} (is --data the folder of the host that issued it?).");
                }
                content = blob.Content.ToArray();
            }
            else if (OwnOb2Assertion(url, runtime))
            {
                // OB 2.0 hosted verification is by definition a fetch of the issuer's copy: for the demo's loopback
                // base URL that is the running serve, which the embedded host's fetcher is allowed to reach.
                Console.Error.WriteLine("verify: an OB 2.0 hosted assertion is checked against the copy its issuer serves: serve must be running for this data folder.");
                return (new VerificationInput(url.AbsoluteUri, IsOb2: true, recipient), null);
            }
            else
            {
                var fetched = await services.GetRequiredService<SafeHttpFetcher>().GetAsync(url, UrlAccept, cancellationToken);
                if (fetched is not { Succeeded: true, Content: { } body })
                {
                    return (null, $"{url} could not be fetched: {fetched.Error}");
                }
                content = body;
            }
            what = $"The document at {url}";
        }
        else
        {
            var path = CommonOptions.ResolvePath(argument);
            if (!File.Exists(path))
            {
                return (null, $"there is no file {path}; give a baked PNG or SVG, a .jwt or .json file, or an http(s) URL.");
            }
            var length = new FileInfo(path).Length;
            if (length > VerificationInputReader.MaxBytes)
            {
                return (null, $"{path} is {length} bytes; badge images and credentials are at most {VerificationInputReader.MaxBytes / (1024 * 1024)} MB.");
            }
            try
            {
                content = await File.ReadAllBytesAsync(path, cancellationToken);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return (null, $"{path} cannot be read: {e.Message}");
            }
            what = $"The file {path}";
        }
        var (input, problem) = IsImage(content)
            ? VerificationInputReader.FromImage(content, recipient)
            : VerificationInputReader.FromText(Encoding.UTF8.GetString(content), recipient, what);
        return (input, problem?.Detail);
    }

    /// <summary>A PNG (its signature) or an SVG (markup): everything else is read as text, a JWT or JSON.</summary>
    private static bool IsImage(byte[] content) =>
        content.AsSpan().StartsWith((byte[])[0x89, (byte)'P', (byte)'N', (byte)'G']) || Encoding.UTF8.GetString(content).TrimStart('\uFEFF', ' ', '\t', '\r', '\n').StartsWith('<');

    /// <summary>The stored file a URL of one of our credentials names (the page URL: its JWT), or null when it is not ours.</summary>
    private static string? OwnCredentialFile(Uri url, PipelineRuntime runtime)
    {
        foreach (var issuer in runtime.Catalog.Issuers.Values)
        {
            var baseUrl = issuer.Urls.Base.AbsoluteUri;
            if (url.AbsoluteUri.StartsWith(baseUrl, StringComparison.Ordinal) && CredentialPath().Match(url.AbsoluteUri[baseUrl.Length..]) is { Success: true } match)
            {
                return BlobNames.CredentialFile(match.Groups["id"].Value, match.Groups["extension"] is { Success: true } extension ? extension.Value : "jwt");
            }
        }
        return null;
    }

    private static bool OwnOb2Assertion(Uri url, PipelineRuntime runtime) =>
        runtime.Catalog.Issuers.Values.Any(issuer => url.AbsoluteUri.StartsWith(issuer.Urls.Base.AbsoluteUri + "ob2/assertions/", StringComparison.Ordinal));

    private static void Print(CredentialVerification verification)
    {
        var credential = verification.Result.Credential ?? [];
        var (word, text) = CheckExplanations.Verdict(verification);
        var color = verification.Verdict == CredentialVerdict.Valid ? "green" : "red";
        AnsiConsole.MarkupLine($"[bold {color}]{word}[/]: {Markup.Escape(text)}");
        if (verification.Result.Credential is not null)
        {
            AnsiConsole.MarkupLine($"Badge: {Markup.Escape(CheckExplanations.BadgeName(credential))}, {(verification.Verdict == CredentialVerdict.Invalid ? "claims to be issued by" : "issued by")} {Markup.Escape(CheckExplanations.IssuedBy(verification))}");
            if (credential["id"] is System.Text.Json.Nodes.JsonValue value && value.TryGetValue<string>(out var id))
            {
                CliOutput.Copyable("Credential id:", id);
            }
        }
        AnsiConsole.MarkupLine("Checks:");
        foreach (var check in verification.Result.Checks)
        {
            var (label, meaning) = CheckExplanations.For(check.Code);
            var (outcome, _) = CheckExplanations.Outcome(check.Outcome);
            var mark = check.Outcome switch
            {
                CheckOutcome.Passed => "green",
                CheckOutcome.Failed or CheckOutcome.NotSupported => "red",
                _ => "grey",
            };
            AnsiConsole.MarkupLine($"  [{mark}]{outcome}:[/] [bold]{Markup.Escape(label)}[/]. {Markup.Escape(meaning)}");
            AnsiConsole.MarkupLine($"    {Markup.Escape(check.Message)}");
        }
    }

    [GeneratedRegex(@"^credentials/(?<id>[A-Za-z0-9_-]+)(\.(?<extension>jwt|json|png|svg))?$")]
    private static partial Regex CredentialPath();
}
