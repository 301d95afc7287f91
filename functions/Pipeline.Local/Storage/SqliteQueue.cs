using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Data.Sqlite;
using Pipeline.Core.Contracts;
using Pipeline.Core.Storage;

namespace Pipeline.Local.Storage;

/// <summary>
/// Durable queues in <c>pipeline.db</c> with Azure Storage queue semantics. A receive hides a message until
/// now + visibility timeout, increments its dequeue count and gives it a new pop receipt, atomically; only the
/// holder of the latest pop receipt can delete it or change its visibility. A message received and not deleted
/// reappears when its visibility timeout passes (at-least-once). Each queue has a <c>{queue}-poison</c> twin that
/// is an ordinary queue whose messages also carry the reason they were poisoned. Names follow Azure's rules
/// (3–63 lower-case letters, digits and single hyphens), so what works here works against Azure Storage.
/// <para>
/// Every operation is a write of <see cref="SqliteDatabase.WriteAsync{T}"/>, so concurrent receives, deletes and sends
/// share group-committed transactions, each still atomic and each caller learning its own outcome. A send wakes this process's dispatchers of the queues it sent to
/// (<see cref="NextArrival"/>), so an idle dispatcher need not wait for its polling interval.
/// </para>
/// </summary>
internal sealed class SqliteQueue(SqliteDatabase database, TimeProvider timeProvider) : IMessageSender
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _arrivals = new(StringComparer.Ordinal);

    private const string Insert = """
        INSERT INTO queue_messages (message_id, queue, body, inserted_at, visible_at, dequeue_count)
        VALUES ($id, $queue, $body, $now, $visible, 0);
        """;

    /// <summary>Azure's limit on messages per receive.</summary>
    public const int MaxMessagesPerReceive = 32;

    /// <summary>Azure's limit on a visibility timeout.</summary>
    public static readonly TimeSpan MaxVisibilityTimeout = TimeSpan.FromDays(7);

    public static string PoisonQueueOf(string queue) => queue + Queues.PoisonSuffix;

    public async Task SendAsync(OutgoingMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        await SendBatchAsync([message], cancellationToken);
    }

    /// <summary>Sends every message in one transaction: all are enqueued or none.</summary>
    public async Task SendBatchAsync(IReadOnlyList<OutgoingMessage> messages, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(messages);
        foreach (var message in messages)
        {
            ValidateQueueName(message.Queue);
            if (message.VisibilityDelay is { } delay)
            {
                ValidateVisibilityTimeout(delay);
            }
        }
        var now = Now();
        var ids = NewMessageIds(messages.Count);
        await database.WriteAsync(scope =>
        {
            var command = scope.Command(Insert, ("$id", string.Empty), ("$queue", string.Empty), ("$body", string.Empty), ("$now", now), ("$visible", now));
            var id = command.Parameters["$id"];
            var queue = command.Parameters["$queue"];
            var body = command.Parameters["$body"];
            var visible = command.Parameters["$visible"];
            for (var i = 0; i < messages.Count; i++)
            {
                var message = messages[i];
                id.Value = ids[i];
                queue.Value = message.Queue;
                body.Value = message.Body;
                visible.Value = now + (long)(message.VisibilityDelay ?? TimeSpan.Zero).TotalMilliseconds;
                command.ExecuteNonQuery();
            }
            return messages.Count;
        }, cancellationToken);
        foreach (var queue in messages.Select(m => m.Queue).Distinct(StringComparer.Ordinal))
        {
            if (_arrivals.TryRemove(queue, out var arrival))
            {
                arrival.TrySetResult();
            }
        }
    }

    /// <summary>
    /// Completes when this instance next sends to <paramref name="queue"/>. Take it before a receive that may find
    /// the queue empty, so a message sent in between is not missed.
    /// </summary>
    public Task NextArrival(string queue) =>
        _arrivals.GetOrAdd(queue, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    /// <summary>
    /// Receives up to <paramref name="maxMessages"/> visible messages, oldest first, hiding each until now +
    /// <paramref name="visibilityTimeout"/>. Empty when none is visible.
    /// </summary>
    public async Task<IReadOnlyList<ReceivedMessage>> ReceiveAsync(string queue, int maxMessages, TimeSpan visibilityTimeout, CancellationToken cancellationToken)
    {
        ValidateQueueName(queue);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxMessages, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxMessages, MaxMessagesPerReceive);
        ValidateVisibilityTimeout(visibilityTimeout);
        var now = Now();
        var visibleAt = now + (long)visibilityTimeout.TotalMilliseconds;
        return await database.WriteAsync(scope =>
        {
            var candidates = scope.Query(
                "SELECT seq FROM queue_messages WHERE queue = $queue AND visible_at <= $now ORDER BY seq LIMIT $max;",
                reader => reader.GetInt64(0),
                ("$queue", queue),
                ("$now", now),
                ("$max", maxMessages));
            var received = new List<ReceivedMessage>(candidates.Count);
            foreach (var seq in candidates)
            {
                received.AddRange(scope.Query(
                    """
                    UPDATE queue_messages SET dequeue_count = dequeue_count + 1, visible_at = $visibleAt, pop_receipt = $receipt
                    WHERE seq = $seq
                    RETURNING message_id, queue, body, inserted_at, visible_at, dequeue_count, pop_receipt;
                    """,
                    ReadReceived,
                    ("$seq", seq),
                    ("$visibleAt", visibleAt),
                    ("$receipt", NewToken())));
            }
            return (IReadOnlyList<ReceivedMessage>)received;
        }, cancellationToken);
    }

    /// <summary>
    /// Deletes a received message. False when the pop receipt is stale (another consumer has received it since) or it
    /// is gone.
    /// </summary>
    public Task<bool> DeleteAsync(string queue, string messageId, string popReceipt, CancellationToken cancellationToken) =>
        database.WriteAsync(scope => scope.Execute(
            "DELETE FROM queue_messages WHERE queue = $queue AND message_id = $id AND pop_receipt = $receipt;",
            ("$queue", queue),
            ("$id", messageId),
            ("$receipt", popReceipt)) == 1, cancellationToken);

    /// <summary>
    /// Makes a received message visible again after <paramref name="visibilityTimeout"/> (zero abandons it at
    /// once). Returns the new pop receipt, or null when the given one is stale.
    /// </summary>
    public async Task<string?> UpdateVisibilityAsync(string queue, string messageId, string popReceipt, TimeSpan visibilityTimeout, CancellationToken cancellationToken)
    {
        ValidateVisibilityTimeout(visibilityTimeout);
        var newReceipt = NewToken();
        var visibleAt = Now() + (long)visibilityTimeout.TotalMilliseconds;
        var changes = await database.WriteAsync(scope => scope.Execute(
            "UPDATE queue_messages SET visible_at = $visibleAt, pop_receipt = $new WHERE queue = $queue AND message_id = $id AND pop_receipt = $receipt;",
            ("$queue", queue),
            ("$id", messageId),
            ("$receipt", popReceipt),
            ("$new", newReceipt),
            ("$visibleAt", visibleAt)), cancellationToken);
        return changes == 1 ? newReceipt : null;
    }

    /// <summary>
    /// Puts a received message back, visible after <paramref name="delay"/>, without counting this receive as an
    /// attempt (its dequeue count goes back down by one): the handler was throttled and asks to be tried again later.
    /// False when the pop receipt is stale.
    /// </summary>
    public Task<bool> DeferAsync(ReceivedMessage message, TimeSpan delay, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        ValidateVisibilityTimeout(delay);
        var visibleAt = Now() + (long)delay.TotalMilliseconds;
        return database.WriteAsync(scope => scope.Execute(
            """
            UPDATE queue_messages SET visible_at = $visibleAt, pop_receipt = NULL, dequeue_count = MAX(dequeue_count - 1, 0)
            WHERE queue = $queue AND message_id = $id AND pop_receipt = $receipt;
            """,
            ("$queue", message.Queue),
            ("$id", message.MessageId),
            ("$receipt", message.PopReceipt),
            ("$visibleAt", visibleAt)) == 1, cancellationToken);
    }

    /// <summary>
    /// Moves a received message to <c>{queue}-poison</c>, visible at once, keeping its id, body, insertion time
    /// and dequeue count, and recording <paramref name="reason"/>. False when the pop receipt is stale.
    /// </summary>
    public Task<bool> MoveToPoisonAsync(ReceivedMessage message, string reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        var now = Now();
        return database.WriteAsync(scope => scope.Execute(
            """
            UPDATE queue_messages SET queue = $poison, visible_at = $now, pop_receipt = NULL, poison_reason = $reason
            WHERE queue = $queue AND message_id = $id AND pop_receipt = $receipt;
            """,
            ("$queue", message.Queue),
            ("$poison", PoisonQueueOf(message.Queue)),
            ("$id", message.MessageId),
            ("$receipt", message.PopReceipt),
            ("$now", now),
            ("$reason", reason)) == 1, cancellationToken);
    }

    /// <summary>
    /// The Functions host's rule: a message whose dequeue count has reached <paramref name="maxDequeueCount"/>
    /// has had its last attempt; when it fails it goes to the poison queue.
    /// </summary>
    public static bool IsLastAttempt(ReceivedMessage message, int maxDequeueCount)
    {
        ArgumentNullException.ThrowIfNull(message);
        return message.DequeueCount >= maxDequeueCount;
    }

    /// <summary>Moves every message of <c>{queue}-poison</c> back to <paramref name="queue"/>, visible, with its dequeue count reset. Returns how many.</summary>
    public Task<int> ReplayPoisonAsync(string queue, CancellationToken cancellationToken)
    {
        ValidateQueueName(queue);
        var now = Now();
        return database.WriteAsync(scope => scope.Execute(
            """
            UPDATE queue_messages SET queue = $queue, visible_at = $now, dequeue_count = 0, pop_receipt = NULL, poison_reason = NULL
            WHERE queue = $poison;
            """,
            ("$queue", queue),
            ("$poison", PoisonQueueOf(queue)),
            ("$now", now)), cancellationToken);
    }

    /// <summary>How many messages the queue holds, visible or not (Azure's approximate message count).</summary>
    public Task<int> CountAsync(string queue, CancellationToken cancellationToken) =>
        database.ReadAsync(scope => (int)scope.Scalar<long>("SELECT COUNT(*) FROM queue_messages WHERE queue = $queue;", ("$queue", queue)), cancellationToken);

    /// <summary>Up to <paramref name="maxMessages"/> visible messages, oldest first, without receiving them.</summary>
    public Task<IReadOnlyList<PeekedMessage>> PeekAsync(string queue, int maxMessages, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxMessages, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxMessages, MaxMessagesPerReceive);
        return database.ReadAsync<IReadOnlyList<PeekedMessage>>(scope => scope.Query(
            """
            SELECT message_id, queue, body, inserted_at, dequeue_count, poison_reason FROM queue_messages
            WHERE queue = $queue AND visible_at <= $now ORDER BY seq LIMIT $max;
            """,
            reader => new PeekedMessage(
                reader.ReadString("message_id"),
                reader.ReadString("queue"),
                reader.ReadString("body"),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.ReadInt64("inserted_at")),
                checked((int)reader.ReadInt64("dequeue_count")),
                reader.ReadNullableString("poison_reason")),
            ("$queue", queue),
            ("$now", Now()),
            ("$max", maxMessages)), cancellationToken);
    }

    private static ReceivedMessage ReadReceived(SqliteDataReader reader) => new(
        reader.ReadString("message_id"),
        reader.ReadString("queue"),
        reader.ReadString("pop_receipt"),
        checked((int)reader.ReadInt64("dequeue_count")),
        DateTimeOffset.FromUnixTimeMilliseconds(reader.ReadInt64("inserted_at")),
        DateTimeOffset.FromUnixTimeMilliseconds(reader.ReadInt64("visible_at")),
        reader.ReadString("body"));

    private long Now() => timeProvider.GetUtcNow().ToUnixTimeMilliseconds();

    private static string NewToken() => RandomNumberGenerator.GetHexString(32, lowercase: true);

    /// <summary>
    /// Ids for a batch of messages, 32 lower-case hex digits like <see cref="NewToken"/>: a random 64-bit prefix for the
    /// batch and the message's place in it. Unique as the prefix is (a collision fails the batch on the UNIQUE index,
    /// never merges messages); ascending within a batch, so a large send appends to one place of that index
    /// instead of one random place per message, and draws randomness once.
    /// </summary>
    private static string[] NewMessageIds(int count)
    {
        var prefix = RandomNumberGenerator.GetHexString(16, lowercase: true);
        var ids = new string[count];
        for (var i = 0; i < count; i++)
        {
            ids[i] = string.Create(32, (prefix, i), static (chars, state) =>
            {
                state.prefix.AsSpan().CopyTo(chars);
                ((ulong)state.i).TryFormat(chars[16..], out _, "x16", CultureInfo.InvariantCulture);
            });
        }
        return ids;
    }

    private static void ValidateVisibilityTimeout(TimeSpan visibilityTimeout)
    {
        if (visibilityTimeout < TimeSpan.Zero || visibilityTimeout > MaxVisibilityTimeout)
        {
            throw new ArgumentOutOfRangeException(nameof(visibilityTimeout), visibilityTimeout, $"Expected a visibility timeout from 0 to {MaxVisibilityTimeout}.");
        }
    }

    private static void ValidateQueueName(string queue)
    {
        ArgumentNullException.ThrowIfNull(queue);
        var valid = queue.Length is >= 3 and <= 63
            && queue.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-')
            && queue[0] != '-' && queue[^1] != '-'
            && !queue.Contains("--", StringComparison.Ordinal);
        if (!valid)
        {
            throw new ArgumentException(
                $"Queue name \"{queue}\": expected 3 to 63 lower-case letters, digits and single hyphens, starting and ending with a letter or digit.",
                nameof(queue));
        }
    }
}

/// <summary>A message received from a queue, hidden from other consumers until <see cref="NextVisibleAt"/>.</summary>
internal sealed record ReceivedMessage(
    string MessageId,
    string Queue,
    string PopReceipt,
    int DequeueCount,
    DateTimeOffset InsertedAt,
    DateTimeOffset NextVisibleAt,
    string Body);

/// <summary>A message seen without receiving it; <see cref="PoisonReason"/> is set on a poison queue's messages.</summary>
internal sealed record PeekedMessage(
    string MessageId,
    string Queue,
    string Body,
    DateTimeOffset InsertedAt,
    int DequeueCount,
    string? PoisonReason);
