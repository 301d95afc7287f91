using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Pipeline.Core.Status;

/// <summary>
/// A keyed pseudo-random permutation of [0, size): an 8-round balanced Feistel network over the smallest even number
/// of bits covering <c>size</c>, with HMAC-SHA256 as round function, and cycle-walking back into range. Allocating
/// status-list indexes as <c>Permute(0)</c>, <c>Permute(1)</c>, … gives distinct indexes in an order that cannot be
/// predicted without the key, so neighbouring credentials do not get neighbouring bits (herd privacy).
/// </summary>
public sealed class StatusListPermutation
{
    private const int Rounds = 8;
    private readonly byte[] _key;
    private readonly int _halfBits;
    private readonly uint _halfMask;

    public StatusListPermutation(ReadOnlySpan<byte> key, int size)
    {
        if (key.Length < 16)
        {
            throw new ArgumentException("The permutation key must be at least 16 bytes.", nameof(key));
        }
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        _key = key.ToArray();
        Size = size;
        var bits = Math.Max(2, 32 - int.LeadingZeroCount(size - 1));
        _halfBits = (bits + 1) / 2;
        _halfMask = (1u << _halfBits) - 1;
    }

    public int Size { get; }

    /// <summary>The image of <paramref name="counter"/> (0 ≤ counter &lt; Size) under the permutation.</summary>
    public int Permute(int counter)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)counter, (uint)Size, nameof(counter));
        var value = (uint)counter;
        do
        {
            value = Encrypt(value);
        }
        while (value >= (uint)Size);
        return (int)value;
    }

    private uint Encrypt(uint value)
    {
        var left = value >> _halfBits;
        var right = value & _halfMask;
        Span<byte> input = stackalloc byte[5];
        Span<byte> hash = stackalloc byte[32];
        for (var round = 0; round < Rounds; round++)
        {
            input[0] = (byte)round;
            BinaryPrimitives.WriteUInt32BigEndian(input[1..], right);
            HMACSHA256.HashData(_key, input, hash);
            var next = left ^ (BinaryPrimitives.ReadUInt32BigEndian(hash) & _halfMask);
            left = right;
            right = next;
        }
        return (left << _halfBits) | right;
    }
}
