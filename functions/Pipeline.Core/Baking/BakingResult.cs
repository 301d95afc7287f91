using System.Diagnostics.CodeAnalysis;

namespace Pipeline.Core.Baking;

/// <summary>The outcome of baking or unbaking: a value or a <see cref="BakingError"/>.</summary>
public sealed class BakingResult<T>
    where T : class
{
    private BakingResult(T? value, BakingError? error)
    {
        Value = value;
        Error = error;
    }

    public T? Value { get; }
    public BakingError? Error { get; }

    [MemberNotNullWhen(true, nameof(Value))]
    [MemberNotNullWhen(false, nameof(Error))]
    public bool Succeeded => Error is null;

#pragma warning disable CA1000 // Factory methods on the generic result read best at the call site.
    public static BakingResult<T> Success(T value) => new(value ?? throw new ArgumentNullException(nameof(value)), null);
    public static BakingResult<T> Failure(BakingErrorCode code, string message) => new(null, new BakingError(code, message));
    public static BakingResult<T> Failure(BakingError error) => new(null, error ?? throw new ArgumentNullException(nameof(error)));
#pragma warning restore CA1000

    public override string ToString() => Succeeded ? $"Success: {Value}" : $"Failure: {Error}";
}
