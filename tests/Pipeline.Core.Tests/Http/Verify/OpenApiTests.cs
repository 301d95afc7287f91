using System.Reflection;
using System.Text.Json.Nodes;
using Pipeline.Core.Http.Admin;
using Pipeline.Core.Http.ClaimLinks;
using Pipeline.Core.Http.Verify;
using Pipeline.Core.Verification;

namespace Pipeline.Core.Tests.Http.Verify;

public sealed class OpenApiTests
{
    [Fact]
    public async Task OpenAPI_document_is_served_and_describes_every_API_route()
    {
        await using var site = await PublicSite.StartAsync();

        var document = JsonNode.Parse(await site.GetStringAsync("/openapi.json"))!;

        Assert.Equal("3.1.0", (string?)document["openapi"]);
        var paths = document["paths"]!.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal);
        Assert.Equal(
            new[] { VerifyRoutes.Api, NewClaimLinkEndpoint.Route, AdminRoutes.Revoke, AdminRoutes.BulkRevoke, AdminRoutes.Progress }.Select(r => "/" + r).Order(StringComparer.Ordinal),
            paths);
    }

    [Fact]
    public async Task OpenAPI_check_codes_are_exactly_the_verifier_codes()
    {
        await using var site = await PublicSite.StartAsync();
        var document = JsonNode.Parse(await site.GetStringAsync("/openapi.json"))!;

        var documented = document["components"]!["schemas"]!["Check"]!["properties"]!["code"]!["enum"]!.AsArray().Select(c => (string)c!).Order(StringComparer.Ordinal);
        var codes = typeof(CheckCodes).GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => (string)f.GetValue(null)!)
            .Concat(typeof(Ob2CheckCodes).GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => (string)f.GetValue(null)!)).Order(StringComparer.Ordinal);

        Assert.Equal(codes, documented);
    }
}
