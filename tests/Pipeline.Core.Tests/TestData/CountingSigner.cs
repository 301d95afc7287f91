using Pipeline.Core.Catalog;
using Pipeline.Core.Signing;

namespace Pipeline.Core.Tests.TestData;

/// <summary>A signer that counts signatures and passes them to a real one. Pipeline.Local.Tests compiles this file too.</summary>
internal sealed class CountingSigner(ISigner inner) : ISigner
{
    private int _signatures;

    public int Signatures => Volatile.Read(ref _signatures);

    public Task<byte[]> SignDigestAsync(SigningKeyReference key, ReadOnlyMemory<byte> digest, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _signatures);
        return inner.SignDigestAsync(key, digest, cancellationToken);
    }

    public Task<PublicJwk> GetPublicKeyAsync(SigningKeyReference key, CancellationToken cancellationToken) => inner.GetPublicKeyAsync(key, cancellationToken);
}
