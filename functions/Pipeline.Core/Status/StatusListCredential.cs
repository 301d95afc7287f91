using System.Globalization;
using System.Text.Json.Nodes;
using Pipeline.Core.Catalog;

namespace Pipeline.Core.Status;

/// <summary>
/// Builds the unsigned BitstringStatusListCredential (W3C Bitstring Status List, §2.4 of the standards checklist);
/// securing it as a VC-JWT is the signing code's job.
/// </summary>
public static class StatusListCredential
{
    public const string RevocationPurpose = "revocation";

    /// <summary>The list credential of <paramref name="issuer"/>'s list <paramref name="listId"/>, served at its public status URL.</summary>
    public static JsonObject Create(Issuer issuer, string listId, BitstringStatusList list, DateTimeOffset validFrom, TimeSpan? validity = null, TimeSpan? ttl = null)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        var urls = issuer.Urls;
        return Create(urls.StatusList(issuer.Id, listId), urls.Issuer(issuer.Id), list, validFrom, validFrom + validity, RevocationPurpose, ttl);
    }

    /// <summary>
    /// <c>id</c> = <paramref name="listUrl"/> (the entries' <c>statusListCredential</c>), subject id = list URL + <c>#list</c>,
    /// <c>validUntil</c> and <c>ttl</c> (milliseconds, as the REC defines it) only when given.
    /// </summary>
    public static JsonObject Create(
        Uri listUrl,
        Uri issuer,
        BitstringStatusList list,
        DateTimeOffset validFrom,
        DateTimeOffset? validUntil = null,
        string statusPurpose = RevocationPurpose,
        TimeSpan? ttl = null)
    {
        ArgumentNullException.ThrowIfNull(listUrl);
        ArgumentNullException.ThrowIfNull(issuer);
        ArgumentNullException.ThrowIfNull(list);
        ArgumentException.ThrowIfNullOrWhiteSpace(statusPurpose);
        if (validUntil <= validFrom)
        {
            throw new ArgumentOutOfRangeException(nameof(validUntil), validUntil, "validUntil must be after validFrom.");
        }
        var subject = new JsonObject
        {
            ["id"] = listUrl.AbsoluteUri + "#list",
            ["type"] = "BitstringStatusList",
            ["statusPurpose"] = statusPurpose,
            ["encodedList"] = list.Encode(),
        };
        if (ttl is { } time)
        {
            subject["ttl"] = (long)time.TotalMilliseconds;
        }
        var credential = new JsonObject
        {
            ["@context"] = new JsonArray("https://www.w3.org/ns/credentials/v2"),
            ["id"] = listUrl.AbsoluteUri,
            ["type"] = new JsonArray("VerifiableCredential", "BitstringStatusListCredential"),
            ["issuer"] = issuer.AbsoluteUri,
            ["validFrom"] = Format(validFrom),
        };
        if (validUntil is { } until)
        {
            credential["validUntil"] = Format(until);
        }
        credential["credentialSubject"] = subject;
        return credential;
    }

    private static string Format(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
