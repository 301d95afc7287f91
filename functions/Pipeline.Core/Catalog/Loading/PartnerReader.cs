using System.Text.Json;

namespace Pipeline.Core.Catalog.Loading;

/// <summary>Reads one <c>partners/{id}.json</c> (format: docs/integrations.md), reporting every problem with its JSON pointer.</summary>
internal static class PartnerReader
{
    private static readonly string[] Properties =
        ["$schema", "id", "name", "description", "payload", "learners", "activities", "emailIsLearnerId", "emailDomain", "passingScore"];

    private static readonly string[] MappingProperties = ["stripPrefix", "prefix", "map"];

    public static Partner? Read(CatalogFileReader reader, JsonElement top)
    {
        if (!reader.ExpectObject(top, string.Empty, Properties))
        {
            return null;
        }
        var id = reader.RequiredSlug(top, string.Empty, "id");
        var expectedId = Path.GetFileNameWithoutExtension(reader.File);
        if (id is not null && id != expectedId)
        {
            reader.Report(CatalogErrorCode.InvalidValue, "/id", "partner id differs from its file name", $"\"{expectedId}\"", $"\"{id}\"");
            id = null;
        }
        var name = reader.RequiredString(top, string.Empty, "name");
        var payloadText = reader.RequiredString(top, string.Empty, "payload");
        PartnerPayload? payload = payloadText switch
        {
            null => null,
            "pipeline" => PartnerPayload.Pipeline,
            "caliper" => PartnerPayload.Caliper,
            "moodle" => PartnerPayload.Moodle,
            _ => null,
        };
        if (payloadText is not null && payload is null)
        {
            reader.Report(CatalogErrorCode.InvalidValue, "/payload", "unknown payload shape", "\"pipeline\", \"caliper\" or \"moodle\"", $"\"{payloadText}\"");
        }
        var learners = ReadMapping(reader, top, "learners");
        var activities = ReadMapping(reader, top, "activities");
        var emailIsLearnerId = reader.OptionalBoolean(top, string.Empty, "emailIsLearnerId") ?? false;
        var emailDomain = reader.OptionalString(top, string.Empty, "emailDomain");
        if (emailDomain is not null && (emailDomain.Contains('@', StringComparison.Ordinal) || !emailDomain.Contains('.', StringComparison.Ordinal)))
        {
            reader.Report(CatalogErrorCode.InvalidValue, "/emailDomain", "not a mail domain", "a domain like \"example.edu\"", $"\"{emailDomain}\"");
            emailDomain = null;
        }
        var passingScore = reader.OptionalNumber(top, string.Empty, "passingScore", 0);
        if (id is null || name is null || payload is null || learners is null || activities is null)
        {
            return null;
        }
        return new Partner
        {
            Id = id,
            Name = name,
            Payload = payload.Value,
            Learners = learners,
            Activities = activities,
            EmailIsLearnerId = emailIsLearnerId,
            EmailDomain = emailDomain,
            PassingScore = passingScore,
        };
    }

    private static PartnerIdMapping? ReadMapping(CatalogFileReader reader, JsonElement top, string name)
    {
        if (CatalogFileReader.Optional(top, name) is not { } element)
        {
            return new PartnerIdMapping();
        }
        var at = CatalogFileReader.Pointer(string.Empty, name);
        if (!reader.ExpectObject(element, at, MappingProperties))
        {
            return null;
        }
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        var ok = true;
        if (CatalogFileReader.Optional(element, "map") is { } mapElement)
        {
            var mapAt = CatalogFileReader.Pointer(at, "map");
            if (!reader.IsObject(mapElement, mapAt))
            {
                return null;
            }
            foreach (var entry in mapElement.EnumerateObject())
            {
                if (reader.AsString(entry.Value, CatalogFileReader.Pointer(mapAt, entry.Name)) is { } ours)
                {
                    map[entry.Name.Trim()] = ours;
                }
                else
                {
                    ok = false;
                }
            }
        }
        var prefix = CatalogFileReader.Optional(element, "prefix") is { ValueKind: JsonValueKind.String } p ? p.GetString()! : null;
        if (prefix is null && CatalogFileReader.Optional(element, "prefix") is { } wrong)
        {
            reader.Report(CatalogErrorCode.WrongType, CatalogFileReader.Pointer(at, "prefix"), "wrong type", "a string", CatalogFileReader.Describe(wrong));
            ok = false;
        }
        var strip = reader.OptionalString(element, at, "stripPrefix");
        return ok ? new PartnerIdMapping { StripPrefix = strip, Prefix = prefix ?? "", Map = map } : null;
    }
}
