using System.Globalization;
using Azure.Data.Tables;

namespace Pipeline.Azure.Storage;

/// <summary>
/// Property conversions. Times are stored as round-trip ISO 8601 strings, because a table DateTime drops the offset
/// (and the offset is part of what the ledgers hand back); decimals as invariant strings, to keep their scale.
/// </summary>
internal static class TableValues
{
    public static string Time(DateTimeOffset value) => value.ToString("o", CultureInfo.InvariantCulture);

    public static string? Time(DateTimeOffset? value) => value is { } v ? Time(v) : null;

    public static DateTimeOffset ReadTime(TableEntity entity, string name) =>
        ReadNullableTime(entity, name) ?? throw Missing(entity, name);

    public static DateTimeOffset? ReadNullableTime(TableEntity entity, string name) =>
        entity.GetString(name) is { } text ? DateTimeOffset.ParseExact(text, "o", CultureInfo.InvariantCulture) : null;

    public static string ReadString(TableEntity entity, string name) => entity.GetString(name) ?? throw Missing(entity, name);

    public static long ReadInt64(TableEntity entity, string name) => entity.GetInt64(name) ?? throw Missing(entity, name);

    public static int ReadInt32(TableEntity entity, string name) => entity.GetInt32(name) ?? throw Missing(entity, name);

    public static string? Decimal(decimal? value) => value?.ToString(CultureInfo.InvariantCulture);

    public static decimal? ReadDecimal(TableEntity entity, string name) =>
        entity.GetString(name) is { } text ? decimal.Parse(text, NumberStyles.Number, CultureInfo.InvariantCulture) : null;

    private static InvalidOperationException Missing(TableEntity entity, string name) =>
        new($"Table row ({entity.PartitionKey}, {entity.RowKey}): property {name} is missing.");
}
