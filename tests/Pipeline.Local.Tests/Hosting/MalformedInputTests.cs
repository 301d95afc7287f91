using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Pipeline.Core.Baking;
using Pipeline.Local.Tests.Webhooks;
using Pipeline.Local.Webhooks;

namespace Pipeline.Local.Tests.Hosting;

/// <summary>The embedded host of <see cref="MalformedInputTests"/>: started once, with an issued credential, an admin key and a partner secret.</summary>
public sealed class MalformedInputSite : IAsyncLifetime
{
    public const string Partner = "northwind-bootcamp";

    internal EmbeddedSite Site { get; private set; } = null!;

    public string CredentialId { get; private set; } = "";

    public string PartnerSecret { get; private set; } = "";

    /// <summary>One of the host's baked credential PNGs, to bake hostile payloads into.</summary>
    public byte[] Png { get; private set; } = [];

    public async Task InitializeAsync()
    {
        Site = await EmbeddedSite.StartAsync(learners: 4);
        CredentialId = (await Site.IssuedCredentialIdsAsync())[0];
        PartnerSecret = (await Site.Services.GetRequiredService<PartnerSecretStore>().AddAsync(Partner, CancellationToken.None)).Secret!;
        Png = await Site.Client.GetByteArrayAsync(new Uri($"/credentials/{CredentialId}.png", UriKind.Relative));
    }

    public async Task DisposeAsync() => await Site.DisposeAsync();
}

/// <summary>
/// Issue 21, "one rule for every reader of outside input": every malformed-input class sent to every endpoint that
/// reads a body (the POST routes of <c>PublicRoutes</c>/<c>VerifyRoutes</c>, the claim form, the webhook, the admin
/// revokes) is answered with a 4xx problem of a stable type over real Kestrel — never a 5xx, never a library's words.
/// </summary>
public sealed class MalformedInputTests(MalformedInputSite fixture) : IClassFixture<MalformedInputSite>
{
    private const string Problem = "urn:credential-pipeline:problem:";
    private const int Huge = 6 * 1024 * 1024;
    private const string DuplicateMember = "{\"@context\":[\"https://www.w3.org/ns/credentials/v2\"],\"reason\":\"a\",\"reason\":\"b\",\"email\":\"a@example.edu\"}";

    public enum Endpoint
    {
        VerifyApi,
        VerifyPage,
        Claim,
        Webhook,
        Revoke,
        BulkRevoke,
    }

    public enum Input
    {
        DuplicateMember,
        DuplicateMemberInFormField,
        DuplicateMemberInBakedImage,
        TruncatedMultipart,
        TooManyParts,
        PartHeaderTooLong,
        BoundaryTooLong,
        OversizedCsvRecord,
        DeepNesting,
        WrongJsonTypes,
        Empty,
        Huge,
        ChunkedHuge,
        InvalidUtf8,
        WrongContentType,
    }

    private static readonly Endpoint[] Endpoints = Enum.GetValues<Endpoint>();

    /// <summary>
    /// The expected problem per input class, in the order of <see cref="Endpoints"/>. A body over the endpoint's own
    /// size limit (16 KB for a single revoke, 4 KB for the claim form) is <c>payload-too-large</c> before its structure is looked at.
    /// </summary>
    private static readonly Dictionary<Input, string[]> Expected = new()
    {
        [Input.DuplicateMember] = ["malformed-json", "malformed-json", "invalid-email", "malformed-json", "invalid-request", "invalid-request"],
        [Input.DuplicateMemberInFormField] = ["malformed-json", "malformed-json", "invalid-email", "malformed-json", "invalid-request", "invalid-request"],
        [Input.DuplicateMemberInBakedImage] = ["malformed-json", "malformed-json", "invalid-email", "malformed-json", "invalid-request", "invalid-request"],
        [Input.TruncatedMultipart] = ["malformed-form", "malformed-form", "malformed-form", "malformed-json", "invalid-request", "malformed-form"],
        [Input.TooManyParts] = ["form-limit-exceeded", "form-limit-exceeded", "form-limit-exceeded", "malformed-json", "invalid-request", "form-limit-exceeded"],
        [Input.PartHeaderTooLong] = ["form-limit-exceeded", "form-limit-exceeded", "payload-too-large", "malformed-json", "payload-too-large", "form-limit-exceeded"],
        [Input.BoundaryTooLong] = ["form-limit-exceeded", "form-limit-exceeded", "form-limit-exceeded", "malformed-json", "invalid-request", "form-limit-exceeded"],
        [Input.OversizedCsvRecord] = ["unsupported-media-type", "unsupported-media-type", "invalid-email", "malformed-json", "payload-too-large", "invalid-rows"],
        [Input.DeepNesting] = ["malformed-json", "malformed-json", "invalid-email", "malformed-json", "payload-too-large", "invalid-request"],
        [Input.WrongJsonTypes] = ["malformed-json", "malformed-json", "invalid-email", "schema-violation", "invalid-request", "invalid-request"],
        [Input.Empty] = ["missing-input", "missing-input", "invalid-email", "malformed-json", "invalid-request", "invalid-request"],
        [Input.Huge] = ["payload-too-large", "payload-too-large", "payload-too-large", "payload-too-large", "payload-too-large", "payload-too-large"],
        [Input.ChunkedHuge] = ["payload-too-large", "payload-too-large", "payload-too-large", "payload-too-large", "payload-too-large", "payload-too-large"],
        [Input.InvalidUtf8] = ["malformed-json", "malformed-json", "invalid-email", "malformed-json", "invalid-request", "invalid-request"],
        [Input.WrongContentType] = ["unsupported-media-type", "unsupported-media-type", "invalid-email", "malformed-json", "invalid-request", "invalid-request"],
    };

    public static TheoryData<Input, Endpoint, string> Cases()
    {
        var data = new TheoryData<Input, Endpoint, string>();
        foreach (var (input, types) in Expected)
        {
            for (var i = 0; i < Endpoints.Length; i++)
            {
                data.Add(input, Endpoints[i], types[i]);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Malformed_input_is_a_4xx_problem_of_a_stable_type(Input input, Endpoint endpoint, string expectedType)
    {
        using var request = Request(endpoint, PayloadOf(input, endpoint));
        using var response = await fixture.Site.Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();

        Assert.True((int)response.StatusCode is >= 400 and < 500, $"{input} to {endpoint}: {(int)response.StatusCode} {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(text)!;
        Assert.Equal(Problem + expectedType, (string?)problem["type"]);
        Assert.Equal((int)response.StatusCode, (int)problem["status"]!);
        var detail = (string?)problem["detail"] ?? "";
        Assert.DoesNotContain("Exception", detail, StringComparison.Ordinal);
        Assert.DoesNotContain("System.", detail, StringComparison.Ordinal);
        Assert.DoesNotContain("BytePositionInLine", detail, StringComparison.Ordinal);
    }

    /// <summary>Issue 21 items 1, 2, 4 and 7b, each as the hostile-input pass found it (500, or 413 "larger than 5 MB", or a skipped limit), and what it says now.</summary>
    [Theory]
    [InlineData(Input.DuplicateMember, Endpoint.VerifyApi, 400, "The request body names a member twice (line 1, byte ")]
    [InlineData(Input.DuplicateMemberInFormField, Endpoint.VerifyPage, 400, "The pasted credential names a member twice")]
    [InlineData(Input.DuplicateMemberInBakedImage, Endpoint.VerifyApi, 400, "The credential baked in the image names a member twice")]
    [InlineData(Input.DuplicateMember, Endpoint.Revoke, 400, "The body names a member twice")]
    [InlineData(Input.TruncatedMultipart, Endpoint.VerifyApi, 400, "The multipart form ends before its closing boundary: the upload was cut off.")]
    [InlineData(Input.TruncatedMultipart, Endpoint.VerifyPage, 400, "The multipart form ends before its closing boundary")]
    [InlineData(Input.TruncatedMultipart, Endpoint.BulkRevoke, 400, "The multipart form ends before its closing boundary")]
    [InlineData(Input.TooManyParts, Endpoint.VerifyApi, 400, "The form has more than 16 fields and files")]
    [InlineData(Input.PartHeaderTooLong, Endpoint.VerifyApi, 400, "A part of the multipart form has headers longer than 16384 bytes.")]
    [InlineData(Input.BoundaryTooLong, Endpoint.VerifyApi, 400, "The multipart boundary is 200 characters long; at most 70 are allowed (RFC 2046).")]
    [InlineData(Input.ChunkedHuge, Endpoint.Revoke, 413, "The body is larger than 16 KB")]
    [InlineData(Input.ChunkedHuge, Endpoint.Claim, 413, "The form is larger than 4096 bytes")]
    public async Task Each_item_of_the_hostile_input_pass_is_refused_in_plain_words(Input input, Endpoint endpoint, int status, string detail)
    {
        using var request = Request(endpoint, PayloadOf(input, endpoint));
        using var response = await fixture.Site.Client.SendAsync(request);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(status, (int)response.StatusCode);
        Assert.StartsWith(detail, (string?)problem["detail"], StringComparison.Ordinal);
    }

    /// <summary>Issue 21 item 1 for an OB 2.0 assertion baked in an image: its JSON is read with the same guard as an OB 3.0 credential.</summary>
    [Fact]
    public async Task An_OB2_assertion_naming_a_member_twice_baked_in_an_image_is_malformed_json()
    {
        var png = PngBakery.Bake(fixture.Png, BakedCredential.Ob2Json("{\"@context\":\"https://w3id.org/openbadges/v2\",\"type\":\"Assertion\",\"id\":\"https://a.example/1\",\"id\":\"https://a.example/2\"}"), keepOtherVersion: false).Value!;
        using var request = Request(Endpoint.VerifyApi, new Payload(png, "image/png"));
        using var response = await fixture.Site.Client.SendAsync(request);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(Problem + "malformed-json", (string?)problem["type"]);
        Assert.StartsWith("The assertion baked in the image names a member twice", (string?)problem["detail"], StringComparison.Ordinal);
    }

    /// <summary>A request body: its bytes, content type, and whether it goes chunked (no Content-Length).</summary>
    internal sealed record Payload(byte[] Bytes, string? ContentType, bool Chunked = false);

    private HttpRequestMessage Request(Endpoint endpoint, Payload body)
    {
        var path = endpoint switch
        {
            Endpoint.VerifyApi => "/api/verify",
            Endpoint.VerifyPage => "/credentials/verify",
            Endpoint.Claim => "/claim",
            Endpoint.Webhook => "/webhooks/" + MalformedInputSite.Partner,
            Endpoint.Revoke => $"/api/credentials/{fixture.CredentialId}/revoke",
            _ => "/api/credentials/revoke",
        };
        HttpContent content = body.Chunked ? new ChunkedContent(body.Bytes) : new ByteArrayContent(body.Bytes);
        if (body.ContentType is not null)
        {
            content.Headers.TryAddWithoutValidation("Content-Type", body.ContentType);
        }
        var request = endpoint is Endpoint.Revoke or Endpoint.BulkRevoke
            ? fixture.Site.Admin(HttpMethod.Post, path, content)
            : new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        request.Headers.Accept.ParseAdd("application/problem+json");
        if (endpoint == Endpoint.Webhook)
        {
            var (timestamp, signature) = PartnerSigner.Sign(fixture.PartnerSecret, body.Bytes, TimeProvider.System.GetUtcNow());
            request.Headers.Add("X-Pipeline-Timestamp", timestamp);
            request.Headers.Add("X-Pipeline-Signature", signature);
        }
        return request;
    }

    private Payload PayloadOf(Input input, Endpoint endpoint) => input switch
    {
        Input.DuplicateMember => new(Encoding.UTF8.GetBytes(DuplicateMember), "application/json"),
        Input.DuplicateMemberInFormField => Multipart("b0undary", Part(FieldName(endpoint), DuplicateMember, endpoint == Endpoint.BulkRevoke ? "dup.csv" : null), "--b0undary--\r\n"),
        Input.DuplicateMemberInBakedImage => new(PngBakery.Bake(fixture.Png, BakedCredential.Ob3Json(DuplicateMember), keepOtherVersion: false).Value!, "image/png"),
        Input.TruncatedMultipart => Multipart("b0undary", Part(FieldName(endpoint), "eyJhbGciOiJSUzI1NiJ9.e30.", "cut.png")[..^2]),
        Input.TooManyParts => Multipart("b0undary", [.. Enumerable.Range(0, 40).SelectMany(i => Part("f" + i, "x", null)), .. "--b0undary--\r\n"u8.ToArray()]),
        Input.PartHeaderTooLong => Multipart("b0undary",
            Encoding.ASCII.GetBytes($"--b0undary\r\nContent-Disposition: form-data; name=\"{FieldName(endpoint)}\"\r\nX-Padding: {new string('p', 20 * 1024)}\r\n\r\nx\r\n--b0undary--\r\n")),
        Input.BoundaryTooLong => Multipart(new string('b', 200), Encoding.ASCII.GetBytes($"--{new string('b', 200)}\r\nContent-Disposition: form-data; name=\"{FieldName(endpoint)}\"\r\n\r\nx\r\n--{new string('b', 200)}--\r\n")),
        Input.OversizedCsvRecord => new(Encoding.UTF8.GetBytes($"credential_id,reason\r\n{fixture.CredentialId},Granted in error\r\nsomething,{new string('r', 70 * 1024)}\r\n"), "text/csv"),
        Input.DeepNesting => new(Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("{\"a\":", 5000)) + "1" + new string('}', 5000)), "application/json"),
        Input.WrongJsonTypes => new(Encoding.UTF8.GetBytes("[{\"reason\":5,\"version\":\"one\",\"completions\":{\"id\":[]}}]"), "application/json"),
        Input.Empty => new([], "application/json"),
        Input.Huge or Input.ChunkedHuge => HugeBody(endpoint) with { Chunked = input == Input.ChunkedHuge },
        Input.InvalidUtf8 => new([.. "{\"reason\":\"caf"u8.ToArray(), 0xC3, 0x28, .. "\",\"email\":\"a@example.edu\"}"u8.ToArray()], "application/json"),
        _ => new(Encoding.UTF8.GetBytes("<credential><reason>a</reason></credential>"), "application/xml"),
    };

    private static string FieldName(Endpoint endpoint) => endpoint switch
    {
        Endpoint.Claim => "email",
        Endpoint.BulkRevoke => "file",
        _ => "credential",
    };

    private static Payload HugeBody(Endpoint endpoint) => endpoint switch
    {
        Endpoint.VerifyApi => new(Encoding.ASCII.GetBytes(new string('a', Huge)), "text/plain"),
        Endpoint.VerifyPage => Multipart("b0undary", Part("file", new string('a', Huge), "huge.png"), "--b0undary--\r\n"),
        Endpoint.Claim => new(Encoding.ASCII.GetBytes("email=" + new string('a', Huge) + "%40example.edu"), "application/x-www-form-urlencoded"),
        Endpoint.BulkRevoke => new(Encoding.ASCII.GetBytes("credential_id,reason\r\n" + string.Concat(Enumerable.Repeat("cred-not-there,Granted in error\r\n", Huge / 32))), "text/csv"),
        _ => new(Encoding.ASCII.GetBytes("{\"reason\":\"" + new string('a', Huge) + "\"}"), "application/json"),
    };

    private static byte[] Part(string name, string value, string? fileName) => Encoding.UTF8.GetBytes(
        $"--b0undary\r\nContent-Disposition: form-data; name=\"{name}\"{(fileName is null ? "" : $"; filename=\"{fileName}\"")}\r\n\r\n{value}\r\n");

    private static Payload Multipart(string boundary, byte[] parts, string end = "") =>
        new([.. parts, .. Encoding.ASCII.GetBytes(end)], $"multipart/form-data; boundary={boundary}");

    /// <summary>Content sent with <c>Transfer-Encoding: chunked</c>: its length is not computed, so no Content-Length goes.</summary>
    private sealed class ChunkedContent(byte[] bytes) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            for (var offset = 0; offset < bytes.Length; offset += 64 * 1024)
            {
                await stream.WriteAsync(bytes.AsMemory(offset, Math.Min(64 * 1024, bytes.Length - offset)));
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = -1;
            return false;
        }
    }
}
