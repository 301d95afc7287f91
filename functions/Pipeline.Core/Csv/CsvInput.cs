using System.Text;
using CsvHelper;

namespace Pipeline.Core.Csv;

/// <summary>
/// How every CSV a person uploads is read (SIS exports, bulk revocations): Excel's habits accepted (empty lines,
/// line breaks inside quotes, short rows), malformed records recovered and reported rather than thrown, and a
/// cap on one record's size so a hostile file cannot exhaust memory.
/// </summary>
internal static class CsvInput
{
    public static CsvReaderOptions Options(int maxRecordSize, Action<CsvMalformedRecord>? onMalformed, char separator = ',', Encoding? encoding = null) => new()
    {
        Separator = separator,
        Encoding = encoding,
        HasHeader = true,
        TrackLineNumbers = true,
        SkipEmptyLines = true,
        AllowLineBreaksInQuotes = true,
        MalformedData = CsvMalformedDataHandling.Recover,
        FieldCountMismatch = CsvFieldCountHandling.Allow,
        MissingField = CsvMissingFieldHandling.ReturnEmpty,
        OnMalformedRecord = onMalformed is null ? null : record => onMalformed(record),
        MaxRecordSize = maxRecordSize,
    };
}
