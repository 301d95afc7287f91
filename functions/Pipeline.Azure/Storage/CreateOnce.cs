using System.Collections.Concurrent;

namespace Pipeline.Azure.Storage;

/// <summary>Runs a create-if-not-exists once per name; a failed creation is forgotten, so the next caller retries it.</summary>
internal sealed class CreateOnce<T>(Func<string, Task<T>> create)
{
    private readonly ConcurrentDictionary<string, Lazy<Task<T>>> _created = new(StringComparer.Ordinal);

    public async Task<T> GetAsync(string name, CancellationToken cancellationToken)
    {
        var lazy = _created.GetOrAdd(name, n => new Lazy<Task<T>>(() => create(n)));
        try
        {
            return await lazy.Value.WaitAsync(cancellationToken);
        }
        catch when (lazy.Value.IsFaulted)
        {
            _created.TryRemove(KeyValuePair.Create(name, lazy));
            throw;
        }
    }
}
