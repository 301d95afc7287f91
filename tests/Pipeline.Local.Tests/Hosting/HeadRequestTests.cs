using System.Net;
using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Pipeline.Core.Http;
using Pipeline.Core.Http.OpenApi;
using Pipeline.Local.Storage;

namespace Pipeline.Local.Tests.Hosting;

/// <summary>HEAD on every public GET URL of the embedded host (over Kestrel): the status and headers of GET, no body.</summary>
public sealed class HeadRequestTests
{
    /// <summary>Every route template of the public URL table (<see cref="PublicRoutes"/>), plus the OpenAPI document.</summary>
    private static IEnumerable<string> PublicGetRoutes() =>
        typeof(PublicRoutes).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral)
            .Select(f => (string)f.GetRawConstantValue()!)
            .Append(OpenApiDocument.Route);

    [Fact]
    public async Task Every_public_GET_route_answers_HEAD_with_the_same_status_and_headers_and_no_body()
    {
        await using var site = await EmbeddedSite.StartAsync(learners: 3);
        var id = (await site.IssuedCredentialIdsAsync())[0];
        var record = (await site.Services.GetRequiredService<SqliteCredentialLedger>().GetAsync(id, CancellationToken.None))!;
        var token = site.ClaimEmails()[0].ClaimPath["/claim/".Length..];
        var values = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["{issuer}"] = record.IssuerId,
            ["{achievement}"] = record.AchievementId,
            ["{id}"] = id,
            ["{list}"] = record.StatusListId,
            ["{token}"] = token,
        };
        var routes = PublicGetRoutes().ToList();
        Assert.True(routes.Count >= 20, $"expected the whole route table, found {routes.Count} routes");

        foreach (var route in routes)
        {
            var path = "/" + values.Aggregate(route, (text, value) => text.Replace(value.Key, Uri.EscapeDataString(value.Value), StringComparison.Ordinal));
            Assert.DoesNotContain("{", path, StringComparison.Ordinal);
            // A sample issuer has a logo of one kind only: the other answers 404, and HEAD must answer the same.
            var isLogo = route is PublicRoutes.IssuerPng or PublicRoutes.IssuerSvg;
            await AssertHeadMatchesGetAsync(site.Client, path, isLogo ? [HttpStatusCode.OK, HttpStatusCode.NotFound] : [HttpStatusCode.OK]);
        }
    }

    [Fact]
    public async Task HEAD_on_an_unknown_path_answers_the_404_of_GET_without_a_body()
    {
        await using var site = await EmbeddedSite.StartAsync(learners: 1);

        await AssertHeadMatchesGetAsync(site.Client, "/no/such/page", [HttpStatusCode.NotFound]);
    }

    private static async Task AssertHeadMatchesGetAsync(HttpClient client, string path, HttpStatusCode[] expected)
    {
        using var get = await client.GetAsync(path);
        using var head = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, path));
        var body = await head.Content.ReadAsByteArrayAsync();

        Assert.True(expected.Contains(get.StatusCode), $"GET {path}: expected {string.Join(" or ", expected)}, found {get.StatusCode}");
        Assert.True(get.StatusCode == head.StatusCode, $"HEAD {path}: expected {get.StatusCode} as GET answers, found {head.StatusCode}");
        Assert.True(body.Length == 0, $"HEAD {path}: expected no body, found {body.Length} bytes");
        Assert.Equal(Headers(get), Headers(head));
    }

    /// <summary>The response and content headers but Date (the second may tick between the two requests).</summary>
    private static string Headers(HttpResponseMessage response) =>
        string.Join("\n", response.Headers.Concat(response.Content.Headers)
            .Where(h => h.Key != "Date")
            .OrderBy(h => h.Key, StringComparer.OrdinalIgnoreCase)
            .Select(h => $"{h.Key}: {string.Join(", ", h.Value)}"));
}
