using System.Diagnostics;
using System.Text.Json.Nodes;
using Pipeline.Core.Catalog;
using Pipeline.Core.Credentials;

namespace Pipeline.Local.Bench;

/// <summary>
/// The ceiling the pipeline is compared with: how many credentials per second the same key, through the same
/// <see cref="VcJwt"/> path, signs when that is all the machine does — one signing loop per core.
/// </summary>
internal static class SignOnlyProbe
{
    public static async Task<double> MeasureAsync(VcJwt vcJwt, Issuer issuer, JsonObject credential, TimeSpan duration, CancellationToken cancellationToken)
    {
        await vcJwt.SignCredentialAsync(credential, issuer, cancellationToken);
        var clock = Stopwatch.StartNew();
        var loops = Enumerable.Range(0, Environment.ProcessorCount).Select(_ => Task.Run(async () =>
        {
            long signed = 0;
            while (clock.Elapsed < duration)
            {
                await vcJwt.SignCredentialAsync(credential, issuer, cancellationToken);
                signed++;
            }
            return signed;
        }, cancellationToken)).ToArray();
        var total = (await Task.WhenAll(loops)).Sum();
        return total / clock.Elapsed.TotalSeconds;
    }
}
