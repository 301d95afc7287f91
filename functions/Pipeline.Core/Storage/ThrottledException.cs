namespace Pipeline.Core.Storage;

/// <summary>
/// A call refused because the service is busy: Azure's 429 Too Many Requests or 503 Server Busy, with the
/// Retry-After it sent. A queue trigger waits at least that long before the message is tried again.
/// </summary>
public sealed class ThrottledException : Exception
{
    public ThrottledException()
    {
    }

    public ThrottledException(string message)
        : base(message)
    {
    }

    public ThrottledException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public ThrottledException(string message, int statusCode, TimeSpan retryAfter)
        : base(message)
    {
        StatusCode = statusCode;
        RetryAfter = retryAfter;
    }

    /// <summary>429 or 503.</summary>
    public int StatusCode { get; } = 503;

    public TimeSpan RetryAfter { get; } = TimeSpan.FromSeconds(1);
}
