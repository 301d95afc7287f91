using System.Globalization;

namespace Pipeline.Core.Status;

/// <summary>A credential's place in an issuer's status list: which list and which bit.</summary>
public sealed record StatusListSlot(string ListId, int Index)
{
    /// <summary>The index as the REC writes <c>statusListIndex</c>: a base-10 string.</summary>
    public string StatusListIndex => Index.ToString(CultureInfo.InvariantCulture);
}
