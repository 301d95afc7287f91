using System.ComponentModel.DataAnnotations;

namespace Pipeline.Local.Dispatching;

/// <summary>How a <see cref="QueueDispatcher"/> consumes one queue; the defaults mirror the Functions host's queue settings.</summary>
internal sealed class QueueDispatcherOptions
{
    [Required]
    public string Queue { get; set; } = string.Empty;

    /// <summary>Handlers running at once (the host's <c>batchSize</c>).</summary>
    [Range(1, 32)]
    public int MaxConcurrency { get; set; } = 4;

    /// <summary>
    /// Messages taken per receive (Azure's limit is 32). Those beyond the free handler slots wait in the dispatcher,
    /// hidden, until a slot frees; on shutdown the unstarted ones are made visible again.
    /// </summary>
    [Range(1, 32)]
    public int ReceiveBatchSize { get; set; } = 16;

    /// <summary>Attempts before a failing message goes to <c>{queue}-poison</c> (the host's <c>maxDequeueCount</c>).</summary>
    [Range(1, 1000)]
    public int MaxDequeueCount { get; set; } = 5;

    /// <summary>How long a received message stays hidden while its handler runs; after a crash it reappears then.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan VisibilityTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// When a handler fails, the message is made visible again after this delay (the host's <c>visibilityTimeout</c>
    /// setting). Null leaves it hidden until <see cref="VisibilityTimeout"/> passes.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "7.00:00:00")]
    public TimeSpan? RetryDelay { get; set; } = TimeSpan.Zero;

    /// <summary>The first wait after an empty receive; doubles on each empty receive up to <see cref="MaxPollingInterval"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "01:00:00")]
    public TimeSpan MinPollingInterval { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// The longest wait between receives of an empty queue (the host's <c>maxPollingInterval</c>); a send from this
    /// process to the queue ends the wait early.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "01:00:00")]
    public TimeSpan MaxPollingInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>On shutdown, how long in-flight handlers may run before they are cancelled and their messages left to reappear.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
