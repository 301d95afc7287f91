namespace Pipeline.Core.Stages;

/// <summary>
/// Serialises a stage's work on one credential within this process (striped by credential id). Queues deliver at
/// least once and Evaluate asks again for every earned credential not yet issued, so two copies of a message can be
/// handled at once; without this, both would sign (ES256 signatures differ each time) and interleave their writes,
/// leaving a <c>.jwt</c> and a baked <c>.png</c> that carry different signatures, or send the claim email twice.
/// Across processes the ledgers' insert-if-absent and sent-time guards still hold.
/// </summary>
internal sealed class CredentialLocks
{
    private readonly SemaphoreSlim[] _stripes = [.. Enumerable.Range(0, 64).Select(_ => new SemaphoreSlim(1, 1))];

    public async Task<Held> AcquireAsync(string credentialId, CancellationToken cancellationToken)
    {
        var stripe = _stripes[(int)((uint)StringComparer.Ordinal.GetHashCode(credentialId) % (uint)_stripes.Length)];
        await stripe.WaitAsync(cancellationToken);
        return new Held(stripe);
    }

    internal readonly struct Held(SemaphoreSlim stripe) : IDisposable
    {
        public void Dispose() => stripe.Release();
    }
}
