using System.Text.Json;
using Pipeline.Core.Signing;

namespace Pipeline.Core.Catalog.Loading;

/// <summary>Reads one <c>issuers/{id}.json</c> (format: docs/catalog.md), its signing key and retired keys.</summary>
internal static class IssuerReader
{
    public static Issuer? Read(CatalogFileReader reader, JsonElement top, CatalogFolder folder)
    {
        if (!reader.ExpectObject(top, string.Empty, "id", "name", "url", "email", "description", "image", "publicBaseUrl", "key"))
        {
            return null;
        }
        var id = reader.RequiredSlug(top, string.Empty, "id");
        var name = reader.RequiredString(top, string.Empty, "name");
        var url = reader.RequiredUrl(top, string.Empty, "url");
        var email = reader.RequiredString(top, string.Empty, "email");
        if (email is not null && !IsEmail(email))
        {
            reader.Report(CatalogErrorCode.InvalidValue, "/email", "not an email address", "an address like \"badges@example.edu\"", $"\"{email}\"");
            email = null;
        }
        var description = reader.OptionalString(top, string.Empty, "description");
        var image = reader.OptionalString(top, string.Empty, "image") is { } imagePath ? folder.CheckImage(reader, imagePath, "/image", ".png", ".svg") : null;
        var publicBaseUrl = reader.RequiredUrl(top, string.Empty, "publicBaseUrl");
        var key = ReadKey(reader, top);
        if (id is null || name is null || url is null || email is null || publicBaseUrl is null || key is null)
        {
            return null;
        }
        return new Issuer
        {
            Id = id,
            Name = name,
            Url = url,
            Email = email,
            Description = description,
            ImagePath = image,
            Key = key,
            PublicBaseUrl = publicBaseUrl.AbsoluteUri.EndsWith('/') ? publicBaseUrl : new Uri(publicBaseUrl.AbsoluteUri + "/"),
            PreviousKeys = ReadPreviousKeys(reader, top, key),
        };
    }

    private static List<SigningKeyReference> ReadPreviousKeys(CatalogFileReader reader, JsonElement top, SigningKeyReference current)
    {
        var key = CatalogFileReader.Optional(top, "key")!.Value;
        var previous = reader.OptionalArray(key, "/key", "previous", (element, pointer) =>
            reader.AsString(element, pointer) is { } name ? new SigningKeyReference(name, current.Algorithm) : null);
        foreach (var (reference, index) in previous.Select((r, i) => (r, i)))
        {
            if (reference.KeyName == current.KeyName || previous.Take(index).Any(p => p.KeyName == reference.KeyName))
            {
                reader.Report(CatalogErrorCode.InvalidValue, CatalogFileReader.Pointer("/key/previous", index), "key listed twice",
                    "a retired key name, different from /key/name and from the other previous keys", $"\"{reference.KeyName}\"");
            }
        }
        return previous;
    }

    private static SigningKeyReference? ReadKey(CatalogFileReader reader, JsonElement top)
    {
        if (CatalogFileReader.Optional(top, "key") is not { } key)
        {
            reader.Report(CatalogErrorCode.MissingKey, "/key", "issuer has no signing key",
                "{\"name\": \"<key name in the key store>\", \"algorithm\": \"RS256\" or \"ES256\"}", "nothing");
            return null;
        }
        if (!reader.ExpectObject(key, "/key", "name", "algorithm", "previous"))
        {
            return null;
        }
        var name = reader.RequiredString(key, "/key", "name");
        var algorithmText = reader.OptionalString(key, "/key", "algorithm") ?? nameof(SigningAlgorithm.RS256);
        SigningAlgorithm? algorithm = algorithmText switch
        {
            "RS256" => SigningAlgorithm.RS256,
            "ES256" => SigningAlgorithm.ES256,
            _ => null,
        };
        if (algorithm is null)
        {
            reader.Report(CatalogErrorCode.UnknownAlgorithm, "/key/algorithm", "unknown signing algorithm",
                "\"RS256\" (the default) or \"ES256\"", $"\"{algorithmText}\"");
        }
        return name is null || algorithm is null ? null : new SigningKeyReference(name, algorithm.Value);
    }

    private static bool IsEmail(string value)
    {
        var at = value.IndexOf('@', StringComparison.Ordinal);
        return at > 0 && at == value.LastIndexOf('@') && value.IndexOf('.', at) > at + 1 && !value.Any(char.IsWhiteSpace) && !value.EndsWith('.');
    }
}
