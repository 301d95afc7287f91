using System.Globalization;
using System.Text.Json.Nodes;

namespace Pipeline.Core.Credentials;

/// <summary>A credential's slot in a Bitstring Status List: the list credential's URL, the bit index and the purpose.</summary>
public sealed record StatusListEntry(Uri StatusListCredential, int StatusListIndex, string StatusPurpose = "revocation")
{
    /// <summary>
    /// <c>{id: "&lt;list&gt;#&lt;index&gt;", type: "BitstringStatusListEntry", statusPurpose, statusListIndex: "&lt;index&gt;",
    /// statusListCredential}</c>: the index as a base-10 string (W3C REC), and an <c>id</c> because OB's schema requires one.
    /// </summary>
    public JsonObject ToJson()
    {
        ArgumentOutOfRangeException.ThrowIfNegative(StatusListIndex);
        var list = StatusListCredential.AbsoluteUri;
        var index = StatusListIndex.ToString(CultureInfo.InvariantCulture);
        return new JsonObject
        {
            ["id"] = $"{list}#{index}",
            ["type"] = "BitstringStatusListEntry",
            ["statusPurpose"] = StatusPurpose,
            ["statusListIndex"] = index,
            ["statusListCredential"] = list,
        };
    }
}
