using System.IO.Compression;
using System.Text.Json;
using FsCheck;
using FsCheck.Xunit;
using Pipeline.Core.Status;
using Pipeline.Core.Tests.TestData;

namespace Pipeline.Core.Tests.Status;

public sealed class BitstringStatusListTests
{
    public static TheoryData<string> VectorFiles()
    {
        var data = new TheoryData<string>();
        foreach (var list in Vectors().EnumerateArray())
        {
            data.Add(list.GetProperty("file").GetString()!);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(VectorFiles))]
    public void Decode_standard_vector_gives_the_listed_facts(string file)
    {
        var vector = Vectors().EnumerateArray().Single(v => v.GetProperty("file").GetString() == file);

        var result = BitstringStatusList.Decode(vector.GetProperty("encodedList").GetString()!);

        Assert.True(result.Succeeded, result.ToString());
        Assert.Equal(vector.GetProperty("decodedBits").GetInt32(), result.List.Length);
        Assert.Equal(vector.GetProperty("decodedBytes").GetInt32() * 8, result.List.Length);
        Assert.Equal(vector.GetProperty("setIndexes").EnumerateArray().Select(i => i.GetInt32()), result.List.SetIndexes());
    }

    [Theory]
    [MemberData(nameof(VectorFiles))]
    public void Decode_the_encodedList_inside_each_example_file(string file)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(RepositoryPaths.Standard(file.Split('/'))));
        var encoded = json.RootElement.GetProperty("credentialSubject").GetProperty("encodedList").GetString()!;

        var vector = Vectors().EnumerateArray().Single(v => v.GetProperty("file").GetString() == file);

        var result = BitstringStatusList.Decode(encoded);

        Assert.Equal(vector.GetProperty("encodedList").GetString(), encoded);
        Assert.True(result.Succeeded, result.ToString());
        Assert.Equal(BitstringStatusList.MinimumLength, result.List.Length);
    }

    [Fact]
    public void Testlist_has_index_23_revoked_as_the_1EdTech_fixture_credential_expects()
    {
        using var credential = JsonDocument.Parse(File.ReadAllText(RepositoryPaths.Standard("status", "examples", "ob3-credential-bitstring-revoked.json")));
        var index = credential.RootElement.GetProperty("credentialStatus").GetProperty("statusListIndex").GetInt32();
        using var list = JsonDocument.Parse(File.ReadAllText(RepositoryPaths.Standard("status", "examples", "ob3-status-list-testlist.json")));

        var decoded = BitstringStatusList.Decode(list.RootElement.GetProperty("credentialSubject").GetProperty("encodedList").GetString()!).List!;

        Assert.True(decoded.Get(index));
        Assert.False(decoded.Get(index - 1));
        Assert.False(decoded.Get(index + 1));
    }

    [Fact]
    public void Set_index_0_is_the_most_significant_bit_of_byte_0()
    {
        var list = new BitstringStatusList();
        list.Set(0);
        list.Set(9);

        var bytes = Gunzip(list.Encode());

        Assert.Equal(0x80, bytes[0]);
        Assert.Equal(0x40, bytes[1]);
        Assert.Equal(16384, bytes.Length);
    }

    [Fact]
    public void Encode_starts_with_u_and_has_no_padding()
    {
        var encoded = new BitstringStatusList().Encode();

        Assert.StartsWith("u", encoded, StringComparison.Ordinal);
        Assert.DoesNotContain('=', encoded);
        Assert.DoesNotContain('+', encoded);
        Assert.DoesNotContain('/', encoded);
    }

    [Property(MaxTest = 100)]
    public bool Any_set_of_indexes_round_trips_through_encode_and_decode(int[] raw)
    {
        var indexes = raw.Select(i => (int)((uint)i % BitstringStatusList.MinimumLength)).Distinct().Order().ToArray();
        var list = new BitstringStatusList();
        foreach (var index in indexes)
        {
            list.Set(index);
        }

        var decoded = BitstringStatusList.Decode(list.Encode()).List!;

        return decoded.SetIndexes().SequenceEqual(indexes) && decoded.Length == list.Length;
    }

    [Fact]
    public void Set_false_clears_the_bit()
    {
        var list = new BitstringStatusList();
        list.Set(131_071);
        list.Set(131_071, false);

        Assert.Empty(list.SetIndexes());
    }

    [Fact]
    public void Decode_too_short_list_is_STATUS_LIST_LENGTH_ERROR()
    {
        var encoded = "u" + System.Buffers.Text.Base64Url.EncodeToString(Gzip(new byte[1024]));

        var result = BitstringStatusList.Decode(encoded);

        Assert.Equal(StatusListErrorCode.StatusListLengthError, result.Error?.Code);
        Assert.Contains("STATUS_LIST_LENGTH_ERROR", result.Error!.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("zH4sIAAAAAAAAA", StatusListErrorCode.NotMultibaseBase64Url)]
    [InlineData("", StatusListErrorCode.NotMultibaseBase64Url)]
    [InlineData("uH4s+AAA", StatusListErrorCode.InvalidBase64Url)]
    [InlineData("uH4sIAAAAAAAAA==", StatusListErrorCode.InvalidBase64Url)]
    [InlineData("uAAECAwQFBgc", StatusListErrorCode.InvalidGzip)]
    public void Decode_malformed_list_fails_with_a_specific_error(string encoded, StatusListErrorCode code) =>
        Assert.Equal(code, BitstringStatusList.Decode(encoded).Error?.Code);

    [Fact]
    public void Decode_gzip_bomb_stops_at_the_cap()
    {
        var encoded = "u" + System.Buffers.Text.Base64Url.EncodeToString(Gzip(new byte[4 * 1024 * 1024]));

        Assert.Equal(StatusListErrorCode.TooLarge, BitstringStatusList.Decode(encoded, maxDecodedBytes: 1024 * 1024).Error?.Code);
    }

    [Fact]
    public void Constructor_rejects_lists_below_the_minimum() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new BitstringStatusList(1024));

    private static JsonElement Vectors() =>
        JsonDocument.Parse(File.ReadAllText(RepositoryPaths.Standard("status", "test-vectors.json"))).RootElement.GetProperty("lists");

    private static byte[] Gzip(byte[] data)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(data);
        }
        return output.ToArray();
    }

    private static byte[] Gunzip(string encoded)
    {
        using var gzip = new GZipStream(new MemoryStream(System.Buffers.Text.Base64Url.DecodeFromChars(encoded.AsSpan(1))), CompressionMode.Decompress);
        using var output = new MemoryStream();
        gzip.CopyTo(output);
        return output.ToArray();
    }
}
