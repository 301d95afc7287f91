using System.Text.Json.Nodes;
using Pipeline.Core.Http.Verify;
using Pipeline.Core.Verification;

namespace Pipeline.Core.Tests.Http.Verify;

/// <summary>
/// A JWT's <c>kid</c> (and the issuer id it is looked up for) is attacker-chosen: wherever they point, the key resolver finds no key (so the signature check
/// fails as a value) and never throws or reaches inside the network. The address checks themselves are in
/// <see cref="SafeFetchingTests"/>.
/// </summary>
public sealed class KeyIdPointingAnywhereTests
{
    [Theory]
    [InlineData("https://127.0.0.1/jwks.json#key-1")]
    [InlineData("https://169.254.169.254/latest/meta-data/iam#key-1")]
    [InlineData("https://[::1]:8443/jwks.json#key-1")]
    [InlineData("https://user:password@10.0.0.1:22/#key-1")]
    [InlineData("https://localhost/jwks.json#key-1")]
    [InlineData("https://unknown-host.invalid/jwks.json#key-1")]
    [InlineData("did:web:127.0.0.1#key-1")]
    [InlineData("did:web:unknown-host.invalid#key-1")]
    [InlineData("http://example.com/jwks.json#key-1")]
    [InlineData("file:///etc/passwd#key-1")]
    [InlineData("javascript:alert(1)")]
    [InlineData("\\\\server\\share\\jwks.json")]
    [InlineData("")]
    public async Task A_kid_pointing_anywhere_resolves_to_no_key_and_does_not_throw(string kid)
    {
        using var fetcher = new SafeHttpFetcher(TimeProvider.System);
        var resolver = new RemoteIssuerKeyResolver(new JwksKeyResolver(new JsonObject { ["keys"] = new JsonArray() }), fetcher);
        using var bounded = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        var keys = await resolver.ResolveAsync(kid, issuerId: kid.Split('#')[0], bounded.Token);

        Assert.Empty(keys);
    }
}
