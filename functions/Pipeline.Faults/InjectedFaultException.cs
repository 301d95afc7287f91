namespace Pipeline.Faults;

/// <summary>An injected failure of a port call (Azure: a 500 from a service, a dropped connection).</summary>
public sealed class InjectedFaultException : Exception
{
    public InjectedFaultException()
    {
    }

    public InjectedFaultException(string message)
        : base(message)
    {
    }

    public InjectedFaultException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
