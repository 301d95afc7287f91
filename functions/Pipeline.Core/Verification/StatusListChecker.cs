using System.Buffers.Text;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Pipeline.Core.Catalog;
using Pipeline.Core.Credentials;
using Pipeline.Core.Http;
using Pipeline.Core.Http.Verify;
using Pipeline.Core.Json;
using Pipeline.Core.Status;
using Pipeline.Core.Storage;
using Pipeline.Core.Verification;

namespace Pipeline.Core.Verification;

/// <summary>What a status list says about one credential.</summary>
public enum StatusListOutcome
{
    /// <summary>The bit is clear: neither revoked nor suspended.</summary>
    Active,
    /// <summary>The bit is set in a <c>revocation</c> list.</summary>
    Revoked,
    /// <summary>The bit is set in a <c>suspension</c> list.</summary>
    Suspended,
    /// <summary>The status could not be told (a list that is not ours, an unsupported entry, a broken or missing list).</summary>
    Unknown,
}

/// <summary>The outcome of looking a <c>credentialStatus</c> up, in plain words.</summary>
public sealed record StatusListLookup(StatusListOutcome Outcome, string Message);

/// <summary>
/// Checks <c>BitstringStatusListEntry</c> statuses. Our own lists are read without any network access: a
/// <c>statusListCredential</c> URL minted by <see cref="PublicUrls.StatusList"/> for a catalog issuer is read from the
/// <c>public</c> blob <see cref="BlobNames.StatusList"/> and its VC-JWT signature is verified with the issuer's key
/// (<see cref="IssuerKeys"/>). Other issuers' lists are fetched with the <see cref="SafeHttpFetcher"/> (HTTPS only, no
/// private addresses, size and time limits, cached) when one is given: a VC-JWT list is verified with
/// <see cref="RemoteIssuerKeyResolver"/> (RS256 or ES256, the key of the list's issuer, which must be the credential's
/// issuer when the entry sits in a credential); a JSON list (its embedded proof is not verified) is trusted as the
/// document the HTTPS origin named by the signed credential serves. Either way its id, type, issuer, purpose and validity
/// are checked, its <c>encodedList</c> is decoded and the bit at <c>statusListIndex</c> is read.
/// </summary>
public sealed class StatusListChecker(PipelineCatalog catalog, IBlobStore blobs, IssuerKeys keys, TimeProvider timeProvider, SafeHttpFetcher? fetcher = null)
    : ICredentialStatusChecker
{
    /// <summary>The Accept header of a remote status list fetch.</summary>
    public const string RemoteListAccept = "application/vc+jwt, application/vc+ld+json, application/ld+json, application/json;q=0.9, text/plain;q=0.5";

    private static readonly string[] CheckedPurposes = [StatusListCredential.RevocationPurpose, "suspension"];
    private static readonly string[] RemoteAlgorithms = [SecurityAlgorithms.RsaSha256, SecurityAlgorithms.EcdsaSha256];

    public async ValueTask<CredentialStatusCheck> CheckAsync(JsonNode credentialStatus, CancellationToken cancellationToken)
    {
        var lookup = await LookUpAsync(credentialStatus, cancellationToken);
        return new CredentialStatusCheck(lookup.Outcome == StatusListOutcome.Active, lookup.Message);
    }

    /// <summary>Looks up one entry, or each of an array of entries (the first that is not active decides).</summary>
    public async Task<StatusListLookup> LookUpAsync(JsonNode credentialStatus, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(credentialStatus);
        if (credentialStatus is JsonArray entries)
        {
            if (entries.Count == 0)
            {
                return Unknown("credentialStatus is an empty array.");
            }
            var lookups = new List<StatusListLookup>();
            foreach (var entry in entries)
            {
                var lookup = await LookUpEntryAsync(entry, cancellationToken);
                if (lookup.Outcome != StatusListOutcome.Active)
                {
                    return lookup;
                }
                lookups.Add(lookup);
            }
            return new StatusListLookup(StatusListOutcome.Active, string.Join(" ", lookups.Select(l => l.Message)));
        }
        return await LookUpEntryAsync(credentialStatus, cancellationToken);
    }

    private async Task<StatusListLookup> LookUpEntryAsync(JsonNode? node, CancellationToken cancellationToken)
    {
        if (node is not JsonObject entry)
        {
            return Unknown("credentialStatus is not an object.");
        }
        if (Text(entry["type"]) != "BitstringStatusListEntry")
        {
            return Unknown($"Status entries of type \"{Text(entry["type"]) ?? "(none)"}\" are not checked; only BitstringStatusListEntry is.");
        }
        var purpose = Text(entry["statusPurpose"]);
        if (purpose is null || !CheckedPurposes.Contains(purpose, StringComparer.Ordinal))
        {
            return Unknown($"Status purpose \"{purpose ?? "(none)"}\" is not checked; only revocation and suspension are.");
        }
        var listUrl = Text(entry["statusListCredential"]);
        if (listUrl is null || !Uri.TryCreate(listUrl, UriKind.Absolute, out var listUri))
        {
            return Unknown("statusListCredential is missing or not an absolute URL.");
        }
        if (!TryIndex(entry["statusListIndex"], out var index))
        {
            return Unknown("statusListIndex is missing or not a non-negative base-10 integer.");
        }
        (BitstringStatusList? Bits, string? Error) list;
        var remote = false;
        if (FindOurList(listUri) is var (issuer, listId))
        {
            var blob = await blobs.GetAsync(Containers.Public, BlobNames.StatusList(issuer.Id, listId), cancellationToken);
            if (blob is null)
            {
                return Unknown($"The status list {listUrl} was not found.");
            }
            var issuerId = issuer.Urls.Issuer(issuer.Id).AbsoluteUri;
            list = await ReadListAsync(Encoding.UTF8.GetString(blob.Content.Span).Trim(), [issuer.Key.Algorithm.ToString()], issuerId, await keys.ResolverAsync(cancellationToken),
                listUri, purpose, cancellationToken);
        }
        else if (fetcher is null)
        {
            return Unknown($"The status list {listUrl} is not one of ours; remote status lists are not checked.");
        }
        else
        {
            var fetched = await fetcher.GetAsync(listUri, RemoteListAccept, cancellationToken);
            if (fetched is not { Succeeded: true, Content: { } content })
            {
                return Unknown($"The status list {listUrl} could not be fetched: {fetched.Error}");
            }
            remote = true;
            var resolver = new RemoteIssuerKeyResolver(await keys.ResolverAsync(cancellationToken), fetcher);
            list = await ReadRemoteListAsync(Encoding.UTF8.GetString(content).Trim(), CredentialIssuerOf(entry), resolver, listUri, purpose, cancellationToken);
        }
        if (list.Error is { } error)
        {
            return Unknown($"The status list {listUrl} cannot be used: {error}");
        }
        if (index >= list.Bits!.Length)
        {
            return Unknown($"statusListIndex {index} is beyond the {list.Bits.Length} entries of the status list.");
        }
        return list.Bits.Get(index)
            ? new StatusListLookup(
                purpose == StatusListCredential.RevocationPurpose ? StatusListOutcome.Revoked : StatusListOutcome.Suspended,
                purpose == StatusListCredential.RevocationPurpose
                    ? $"The issuer has revoked this credential (entry {index} is set in its {Kind(remote)} revocation list)."
                    : $"The issuer has suspended this credential (entry {index} is set in its {Kind(remote)} suspension list).")
            : new StatusListLookup(StatusListOutcome.Active, $"Entry {index} of the issuer's {Kind(remote)} {purpose} list is not set.");
    }

    private static string Kind(bool remote) => remote ? "published" : "signed";

    /// <summary>The issuer of the credential an entry sits in (its <c>credentialStatus</c>, or an element of that array), when known.</summary>
    private static string? CredentialIssuerOf(JsonObject entry)
    {
        var credential = entry.Parent as JsonObject ?? entry.Parent?.Parent as JsonObject;
        return credential is null ? null : credential["issuer"] is JsonObject profile ? Text(profile["id"]) : Text(credential["issuer"]);
    }

    /// <summary>
    /// A fetched list: a compact JWS is verified like ours but with any RS256/ES256 key of its issuer (which must be the
    /// credential's issuer when known); a JSON document is read as it is.
    /// </summary>
    private async Task<(BitstringStatusList? Bits, string? Error)> ReadRemoteListAsync(
        string text, string? expectedIssuer, IIssuerKeyResolver resolver, Uri listUrl, string purpose, CancellationToken cancellationToken)
    {
        if (!text.StartsWith('{'))
        {
            var payload = text.Split('.') is { Length: 3 } parts ? Decode(parts[1]) : null;
            var credential = payload?["vc"] as JsonObject ?? payload;
            var listIssuer = credential is null ? null : credential["issuer"] is JsonObject profile ? Text(profile["id"]) : Text(credential["issuer"]) ?? Text(payload!["iss"]);
            return await ReadListAsync(text, RemoteAlgorithms, expectedIssuer ?? listIssuer, resolver, listUrl, purpose, cancellationToken);
        }
        var json = StrictJson.ParseObject(text).Json;
        return json is null
            ? (null, "it is neither a compact JWS nor a JSON object.")
            : ReadCredential(json, expectedIssuer, listUrl, purpose);
    }

    /// <summary>The catalog issuer and list id whose <see cref="PublicUrls.StatusList"/> is exactly <paramref name="url"/>.</summary>
    private (Issuer Issuer, string ListId)? FindOurList(Uri url) => FindOurList(catalog, url);

    /// <summary>The catalog issuer and list id whose <see cref="PublicUrls.StatusList"/> is exactly <paramref name="url"/>, or null when it is not one of ours.</summary>
    public static (Issuer Issuer, string ListId)? FindOurList(PipelineCatalog catalog, Uri url)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(url);
        var text = url.AbsoluteUri;
        foreach (var issuer in catalog.Issuers.Values)
        {
            var prefix = issuer.Urls.StatusList(issuer.Id, "").AbsoluteUri;
            if (!text.StartsWith(prefix, StringComparison.Ordinal))
            {
                continue;
            }
            var listId = Uri.UnescapeDataString(text[prefix.Length..]);
            if (BlobNames.IsSafeId(listId) && issuer.Urls.StatusList(issuer.Id, listId).AbsoluteUri == text)
            {
                return (issuer, listId);
            }
        }
        return null;
    }

    private async Task<(BitstringStatusList? Bits, string? Error)> ReadListAsync(
        string jwt, IReadOnlyList<string> algorithms, string? issuerId, IIssuerKeyResolver resolver, Uri listUrl, string purpose, CancellationToken cancellationToken)
    {
        var parts = jwt.Split('.');
        if (parts.Length != 3 || Decode(parts[0]) is not { } header || Decode(parts[1]) is not { } payload)
        {
            return (null, "it is not a compact JWS with a JSON header and payload.");
        }
        var alg = Text(header["alg"]);
        if (alg is null || !algorithms.Contains(alg, StringComparer.Ordinal))
        {
            return (null, $"it is signed with \"{alg ?? "(none)"}\" but only {string.Join(" or ", algorithms)} is accepted.");
        }
        if (issuerId is null)
        {
            return (null, "it names no issuer.");
        }
        var candidates = await resolver.ResolveAsync(Text(header["kid"]), issuerId, cancellationToken);
        if (candidates.Count == 0)
        {
            return (null, "no key of the issuer matches its kid.");
        }
        var validation = await JwtSignature.ValidateAsync(jwt, alg, candidates);
        if (!validation.IsValid)
        {
            return (null, "its signature does not verify with the issuer's key.");
        }
        return ReadCredential(payload["vc"] as JsonObject ?? payload, issuerId, listUrl, purpose);
    }

    /// <summary>The checks of a status list credential's content, once its origin is trusted.</summary>
    private (BitstringStatusList? Bits, string? Error) ReadCredential(JsonObject credential, string? issuerId, Uri listUrl, string purpose)
    {
        if (Text(credential["id"]) != listUrl.AbsoluteUri)
        {
            return (null, $"its id is \"{Text(credential["id"])}\", not the list URL.");
        }
        if ((credential["type"] as JsonArray)?.Any(t => Text(t) == "BitstringStatusListCredential") != true)
        {
            return (null, "it is not a BitstringStatusListCredential.");
        }
        var credentialIssuer = credential["issuer"] is JsonObject profile ? Text(profile["id"]) : Text(credential["issuer"]);
        if (issuerId is not null && credentialIssuer != issuerId)
        {
            return (null, $"its issuer is \"{credentialIssuer}\", not {issuerId}.");
        }
        var now = timeProvider.GetUtcNow();
        if (CredentialDates.TryParse(Text(credential["validFrom"]), out var validFrom) && validFrom > now)
        {
            return (null, "it is not valid yet.");
        }
        if (Text(credential["validUntil"]) is { } until && (!CredentialDates.TryParse(until, out var validUntil) || validUntil < now))
        {
            return (null, "it has expired.");
        }
        if (credential["credentialSubject"] is not JsonObject subject || Text(subject["encodedList"]) is not { } encoded)
        {
            return (null, "it has no credentialSubject.encodedList.");
        }
        if (Text(subject["statusPurpose"]) != purpose)
        {
            return (null, $"its purpose is \"{Text(subject["statusPurpose"])}\", not \"{purpose}\".");
        }
        var decoded = BitstringStatusList.Decode(encoded);
        return decoded.Succeeded ? (decoded.List, null) : (null, decoded.Error.Message);
    }

    private static bool TryIndex(JsonNode? node, out int index)
    {
        index = -1;
        if (node is not JsonValue value)
        {
            return false;
        }
        if (value.TryGetValue<string>(out var text))
        {
            return text.Length is > 0 and <= 10 && text.All(char.IsAsciiDigit)
                && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out index);
        }
        return value.TryGetValue(out index) && index >= 0;
    }

    private static JsonObject? Decode(string part)
    {
        if (part.Length == 0 || !Base64Url.IsValid(part))
        {
            return null;
        }
        return StrictJson.ParseObject(System.Text.Encoding.UTF8.GetString(Base64Url.DecodeFromChars(part))).Json;
    }

    private static StatusListLookup Unknown(string message) => new(StatusListOutcome.Unknown, message);

    private static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
