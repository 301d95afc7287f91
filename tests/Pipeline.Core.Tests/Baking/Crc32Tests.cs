using System.Text;
using Pipeline.Core.Baking;

namespace Pipeline.Core.Tests.Baking;

public sealed class Crc32Tests
{
    [Fact]
    public void Compute_check_string_gives_the_catalogued_check_value() =>
        Assert.Equal(0xCBF43926u, Crc32.Compute(Encoding.ASCII.GetBytes("123456789")));

    [Fact]
    public void Compute_IEND_type_gives_the_CRC_every_PNG_ends_with() =>
        Assert.Equal(0xAE426082u, Crc32.Compute(Encoding.ASCII.GetBytes("IEND"), []));
}
