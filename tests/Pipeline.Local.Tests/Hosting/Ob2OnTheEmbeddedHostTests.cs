using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Pipeline.Core.Baking;

namespace Pipeline.Local.Tests.Hosting;

/// <summary>What an OB 2.0 backpack does with the embedded host's assertions, over Kestrel at the catalog's own (loopback http) base URL.</summary>
public sealed class Ob2OnTheEmbeddedHostTests
{
    [Fact]
    public async Task The_assertion_image_unbakes_to_the_hosted_assertion()
    {
        await using var site = await EmbeddedSite.StartAsync(learners: 2, atItsBaseUrl: true);
        var id = (await site.IssuedCredentialIdsAsync())[0];
        var hosted = await site.Client.GetStringAsync($"/ob2/assertions/{id}");
        var image = new Uri((string)JsonNode.Parse(hosted)!["image"]!);

        Assert.Equal(new Uri(site.Address, $"/ob2/assertions/{id}.png"), image);
        var baked = PngBakery.Unbake(await site.Client.GetByteArrayAsync(image));

        Assert.True(baked.Succeeded, baked.Error?.Message);
        Assert.Equal(BakedCredentialFormat.Ob2Json, baked.Value.Format);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(hosted), JsonNode.Parse(baked.Value.Payload)));
    }

    [Fact]
    public async Task Hosted_verification_of_its_own_loopback_http_assertion_is_valid_on_the_embedded_host()
    {
        await using var site = await EmbeddedSite.StartAsync(learners: 2, atItsBaseUrl: true);
        var id = (await site.IssuedCredentialIdsAsync())[0];
        var assertion = await site.Client.GetByteArrayAsync($"/ob2/assertions/{id}");
        using var content = new ByteArrayContent(assertion);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/ld+json");

        using var response = await site.Client.PostAsync("/api/verify", content);
        var answer = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.True((string?)answer["verdict"] == "valid", answer.ToJsonString());
        Assert.Contains(answer["checks"]!.AsArray(), c => (string?)c!["code"] == "ob2-hosted" && (string?)c["outcome"] == "passed");
    }
}
