using System.ComponentModel.DataAnnotations;

namespace Pipeline.Local.Hosting;

/// <summary>How claim emails leave the embedded host.</summary>
internal enum MailDelivery
{
    /// <summary>Written as <c>.eml</c> files to the data folder's <c>outbox/</c>.</summary>
    Outbox,
    /// <summary>Sent through the SMTP relay configured in the <c>Smtp</c> section.</summary>
    Smtp,
}

/// <summary>Settings of the embedded host (configuration section <c>Pipeline</c>; command-line options override).</summary>
internal sealed class LocalPipelineOptions
{
    public const string Section = "Pipeline";

    public MailDelivery Mail { get; set; } = MailDelivery.Outbox;

    /// <summary>
    /// Handlers running at once per queue. 16 (one receive batch) keeps 2 cores busy while handlers wait on the
    /// writer's commits, and bigger group commits cost less CPU per credential: the 10,000-learner bench drains in
    /// ~30 s at 16 against ~40 s at 4 (docs/benchmarks.md).
    /// </summary>
    [Range(1, 64)]
    public int Concurrency { get; set; } = 16;

    /// <summary>Attempts before a failing message moves to its <c>-poison</c> queue.</summary>
    [Range(1, 100)]
    public int MaxDequeueCount { get; set; } = 5;

    /// <summary>How often the SIS inbox folder is scanned for new files.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "01:00:00")]
    public TimeSpan InboxScanInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long a received message stays hidden; after a crash its message reappears then.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan VisibilityTimeout { get; set; } = TimeSpan.FromMinutes(5);
}
