namespace Pipeline.Core.Stages.Webhooks;

/// <summary>Why a whole delivery was refused (nothing in it was read or sent).</summary>
public enum WebhookRefusal
{
    /// <summary><c>X-Pipeline-Timestamp</c> or <c>X-Pipeline-Signature</c> is absent.</summary>
    MissingHeader,
    /// <summary>A header is present but not of the documented form.</summary>
    MalformedHeader,
    /// <summary>The timestamp is more than five minutes from our clock.</summary>
    StaleTimestamp,
    /// <summary>No active secret of the partner signs the body (also: an unknown partner, so as not to reveal which exist).</summary>
    BadSignature,
    PayloadTooLarge,
    MalformedJson,
    SchemaViolation,
}

/// <summary>What became of one item of a delivery.</summary>
public enum WebhookItemStatus
{
    /// <summary>Sent to the <c>completions</c> queue (again, on a replay: the pipeline counts a fact once).</summary>
    Accepted,
    /// <summary>The same fact appears earlier in this delivery; it was sent once.</summary>
    Duplicate,
    /// <summary>Not read: unknown learner or activity, no email, not a completion; <see cref="WebhookItemResult.Reason"/> says which.</summary>
    Rejected,
}

/// <summary>The result of item <see cref="Index"/> (its position in the delivery, 0-based).</summary>
public sealed record WebhookItemResult(int Index, WebhookItemStatus Status, string? EventId, string? Reason);

/// <summary>The outcome of a delivery: refused as a whole, or read item by item.</summary>
public abstract record WebhookOutcome
{
    private WebhookOutcome()
    {
    }

    /// <summary>Refused; <see cref="Detail"/> is safe to show the caller (never a secret), <see cref="JsonPointer"/> is set for a schema violation.</summary>
    public sealed record Refused(WebhookRefusal Reason, string Detail, string? JsonPointer = null) : WebhookOutcome;

    /// <summary>Read; a function of the body alone, so a replayed delivery gets the same results.</summary>
    public sealed record Received(string Partner, IReadOnlyList<WebhookItemResult> Items) : WebhookOutcome
    {
        public int Count(WebhookItemStatus status) => Items.Count(i => i.Status == status);
    }
}
