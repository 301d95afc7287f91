namespace Pipeline.Core.Catalog;

/// <summary>What kind of mistake a <see cref="CatalogError"/> reports; stable, so hosts and tests can match on it.</summary>
public enum CatalogErrorCode
{
    MissingFolder,
    InvalidJson,
    MissingField,
    WrongType,
    InvalidValue,
    UnknownField,
    NotASlug,
    BadUrl,
    DuplicateId,
    UnknownIssuer,
    UnknownAchievement,
    UnknownRuleKind,
    UnknownGradeScale,
    UnknownGrade,
    CountOutOfRange,
    StackingCycle,
    MissingImage,
    MissingKey,
    UnknownAlgorithm,
}

/// <summary>
/// One mistake in a catalog: which file (relative to the catalog folder, '/' separated), where in it
/// (an RFC 6901 JSON pointer, "" for the whole document), what is wrong, and what was expected and found.
/// </summary>
public sealed record CatalogError(
    CatalogErrorCode Code,
    string File,
    string JsonPointer,
    string Message,
    string? Expected = null,
    string? Found = null)
{
    /// <summary>e.g. <c>achievements/cs-fundamentals.json /rule/rules/1/minimumGrade: unknown grade on scale "us-letter"; expected one of A, A-, …; found "B++"</c>.</summary>
    public override string ToString()
    {
        var where = JsonPointer.Length == 0 ? File : $"{File} {JsonPointer}";
        var text = $"{where}: {Message}";
        if (Expected is not null)
        {
            text += $"; expected {Expected}";
        }
        if (Found is not null)
        {
            text += $"; found {Found}";
        }
        return text;
    }
}

/// <summary>Thrown by <see cref="CatalogLoadResult.GetCatalogOrThrow"/> for hosts that fail at boot; carries every error.</summary>
public sealed class CatalogException : Exception
{
    public CatalogException()
        : this([])
    {
    }

    public CatalogException(string message)
        : base(message)
    {
        Errors = [];
    }

    public CatalogException(string message, Exception innerException)
        : base(message, innerException)
    {
        Errors = [];
    }

    public CatalogException(IReadOnlyList<CatalogError> errors)
        : base(Format(errors))
    {
        Errors = errors;
    }

    public IReadOnlyList<CatalogError> Errors { get; }

    private static string Format(IReadOnlyList<CatalogError> errors) =>
        $"The catalog has {errors.Count} error(s):" + string.Concat(errors.Select(e => Environment.NewLine + "  " + e));
}

/// <summary>The outcome of loading a catalog: the catalog, or every error found.</summary>
public sealed class CatalogLoadResult
{
    private CatalogLoadResult(PipelineCatalog? catalog, IReadOnlyList<CatalogError> errors)
    {
        Catalog = catalog;
        Errors = errors;
    }

    /// <summary>The loaded catalog; <c>null</c> when there are errors.</summary>
    public PipelineCatalog? Catalog { get; }

    public IReadOnlyList<CatalogError> Errors { get; }

    public bool IsSuccess => Catalog is not null;

    public PipelineCatalog GetCatalogOrThrow() => Catalog ?? throw new CatalogException(Errors);

    internal static CatalogLoadResult Success(PipelineCatalog catalog) => new(catalog, []);

    internal static CatalogLoadResult Failure(IReadOnlyList<CatalogError> errors) => new(null, errors);
}
