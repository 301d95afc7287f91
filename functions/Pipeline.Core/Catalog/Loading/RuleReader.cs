using System.Globalization;
using System.Text.Json;
using Pipeline.Core.Pathways;

namespace Pipeline.Core.Catalog.Loading;

/// <summary>A reference from a rule that can only be checked once the whole catalog is read.</summary>
internal abstract record RuleReference(string File, string Pointer);

/// <summary>An <c>earned</c> rule in achievement <paramref name="From"/> naming <paramref name="Target"/>.</summary>
internal sealed record EarnedReference(string From, string Target, string File, string Pointer) : RuleReference(File, Pointer);

/// <summary>An <c>activity</c> rule's <c>minimumGrade</c>, checked against the activity's grade scale.</summary>
internal sealed record GradeReference(string Activity, string Grade, string File, string Pointer) : RuleReference(File, Pointer);

/// <summary>Reads the JSON form of a <see cref="PathwayRule"/> (documented in docs/catalog.md).</summary>
internal sealed class RuleReader
{
    public const string Kinds = "\"allOf\", \"anyOf\", \"atLeast\", \"activity\", \"earned\" or \"within\"";

    private readonly CatalogFileReader _reader;
    private readonly string _achievementId;
    private readonly List<RuleReference> _references;

    public RuleReader(CatalogFileReader reader, string achievementId, List<RuleReference> references)
    {
        _reader = reader;
        _achievementId = achievementId;
        _references = references;
    }

    public PathwayRule? Read(JsonElement element, string pointer)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            _reader.Report(CatalogErrorCode.WrongType, pointer, "wrong type", "a rule object like {\"rule\": \"activity\", \"activity\": \"CS101\"}",
                CatalogFileReader.Describe(element));
            return null;
        }
        var kind = _reader.RequiredString(element, pointer, "rule");
        switch (kind)
        {
            case null:
                return null;
            case "allOf":
                return _reader.ExpectObject(element, pointer, "rule", "rules") && Children(element, pointer, 1) is { } all
                    ? new AllOfRule(all) : null;
            case "anyOf":
                return _reader.ExpectObject(element, pointer, "rule", "rules") && Children(element, pointer, 1) is { } any
                    ? new AnyOfRule(any) : null;
            case "atLeast":
                return ReadAtLeast(element, pointer);
            case "activity":
                return ReadActivity(element, pointer);
            case "earned":
                return ReadEarned(element, pointer);
            case "within":
                return ReadWithin(element, pointer);
            default:
                _reader.Report(CatalogErrorCode.UnknownRuleKind, CatalogFileReader.Pointer(pointer, "rule"), "unknown rule kind",
                    Kinds, $"\"{kind}\"");
                return null;
        }
    }

    private List<PathwayRule>? Children(JsonElement element, string pointer, int minimum)
    {
        if (_reader.Required(element, pointer, "rules", "an array of rules") is not { } array)
        {
            return null;
        }
        var at = CatalogFileReader.Pointer(pointer, "rules");
        if (array.ValueKind != JsonValueKind.Array)
        {
            _reader.Report(CatalogErrorCode.WrongType, at, "wrong type", "an array of rules", CatalogFileReader.Describe(array));
            return null;
        }
        var rules = new List<PathwayRule>();
        var failed = false;
        var index = 0;
        foreach (var child in array.EnumerateArray())
        {
            if (Read(child, CatalogFileReader.Pointer(at, index)) is { } rule)
            {
                rules.Add(rule);
            }
            else
            {
                failed = true;
            }
            index++;
        }
        if (index < minimum)
        {
            _reader.Report(CatalogErrorCode.InvalidValue, at, "too few rules",
                $"at least {minimum.ToString(CultureInfo.InvariantCulture)} rule(s)", index.ToString(CultureInfo.InvariantCulture));
            return null;
        }
        return failed ? null : rules;
    }

    private AtLeastRule? ReadAtLeast(JsonElement element, string pointer)
    {
        _reader.ExpectObject(element, pointer, "rule", "count", "rules");
        var count = _reader.RequiredInteger(element, pointer, "count");
        var rules = Children(element, pointer, 1);
        if (count is null || rules is null)
        {
            return null;
        }
        if (count < 1 || count > rules.Count)
        {
            _reader.Report(CatalogErrorCode.CountOutOfRange, CatalogFileReader.Pointer(pointer, "count"), "count out of range",
                $"a whole number from 1 to {rules.Count.ToString(CultureInfo.InvariantCulture)} (the number of rules)",
                count.Value.ToString(CultureInfo.InvariantCulture));
            return null;
        }
        return new AtLeastRule(count.Value, rules);
    }

    private ActivityRule? ReadActivity(JsonElement element, string pointer)
    {
        _reader.ExpectObject(element, pointer, "rule", "activity", "minimumGrade", "minimumScore", "requirePass");
        var activity = _reader.RequiredString(element, pointer, "activity");
        var grade = _reader.OptionalString(element, pointer, "minimumGrade");
        var score = _reader.OptionalNumber(element, pointer, "minimumScore", 0m);
        var requirePass = _reader.OptionalBoolean(element, pointer, "requirePass");
        if (activity is null)
        {
            return null;
        }
        if (grade is not null)
        {
            _references.Add(new GradeReference(activity, grade, _reader.File, CatalogFileReader.Pointer(pointer, "minimumGrade")));
        }
        return new ActivityRule(activity) { MinimumGrade = grade, MinimumScore = score, RequirePass = requirePass ?? false };
    }

    private EarnedRule? ReadEarned(JsonElement element, string pointer)
    {
        _reader.ExpectObject(element, pointer, "rule", "achievement");
        if (_reader.RequiredSlug(element, pointer, "achievement") is not { } target)
        {
            return null;
        }
        _references.Add(new EarnedReference(_achievementId, target, _reader.File, CatalogFileReader.Pointer(pointer, "achievement")));
        return new EarnedRule(target);
    }

    private WithinRule? ReadWithin(JsonElement element, string pointer)
    {
        _reader.ExpectObject(element, pointer, "rule", "window", "of");
        var period = _reader.RequiredPeriod(element, pointer, "window");
        var inner = _reader.Required(element, pointer, "of", "a rule object") is { } of ? Read(of, CatalogFileReader.Pointer(pointer, "of")) : null;
        if (period is not { } window || inner is null)
        {
            return null;
        }
        return new WithinRule(new WindowLength(window.Years * 12 + window.Months, window.Days), inner);
    }
}
