using System.Text;
using Pipeline.Core.Baking;
using Pipeline.Core.Tests.TestData;

namespace Pipeline.Core.Tests.Baking;

/// <summary>Pins the chunk layout of a baked PNG: a change shows up as a diff of Golden/baked-png-layout.txt.</summary>
public sealed class BakedPngGoldenTests
{
    [Fact]
    public void Baked_png_chunk_layout_matches_the_golden_file()
    {
        var source = BakingFixtures.Read("ob2", "bakery", "unbaked.png");
        var baked = PngBakery.Bake(source, BakedCredential.Ob3Jwt(BakingFixtures.SampleJwt)).Value!;

        var layout = new StringBuilder();
        foreach (var chunk in PngChunks.Read(baked, UnbakingLimits.Default).Value!)
        {
            var crc = Convert.ToHexStringLower(baked, chunk.DataOffset + chunk.DataLength, 4);
            layout.Append(chunk.Type).Append(' ').Append(chunk.DataLength).Append(' ').Append(crc).Append('\n');
        }

        var golden = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "tests", "Pipeline.Core.Tests", "Baking", "Golden", "baked-png-layout.txt"));
        Assert.Equal(golden, layout.ToString());
    }
}
