using System.Collections.Concurrent;
using Pipeline.Core.Pathways;
using Pipeline.Core.Storage;

namespace Pipeline.Core.Tests.TestData;

/// <summary>An <see cref="IEventLedger"/> in memory: insert-if-absent on the event's content-derived id.</summary>
internal sealed class InMemoryEventLedger : IEventLedger
{
    private readonly ConcurrentDictionary<string, CompletionEvent> _events = new(StringComparer.Ordinal);

    public int Count => _events.Count;

    public Task<bool> TryAddAsync(CompletionEvent completion, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(completion);
        return Task.FromResult(_events.TryAdd(completion.Id, completion));
    }

    public Task<IReadOnlyList<CompletionEvent>> GetByLearnerAsync(string learnerId, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<CompletionEvent>>([.. _events.Values.Where(e => e.LearnerId == learnerId).OrderBy(e => e.CompletedAt)]);
}

/// <summary>An <see cref="IMailer"/> that keeps every message it was asked to send, in order.</summary>
internal sealed class RecordingMailer : IMailer
{
    private readonly Lock _lock = new();
    private readonly List<EmailMessage> _sent = [];

    public IReadOnlyList<EmailMessage> Sent
    {
        get
        {
            lock (_lock)
            {
                return [.. _sent];
            }
        }
    }

    public Task SendAsync(EmailMessage message, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            _sent.Add(message);
        }
        return Task.CompletedTask;
    }
}
