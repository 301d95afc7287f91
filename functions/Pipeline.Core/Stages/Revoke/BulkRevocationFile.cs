using System.Text;
using CsvHelper;
using Pipeline.Core.Csv;

namespace Pipeline.Core.Stages.Revoke;

/// <summary>A data row of a bulk revocation file that passed every check the file alone allows.</summary>
public sealed record BulkRevocationEntry(int Row, string CredentialId, string Reason);

/// <summary>
/// A bulk revocation file read whole, before anything is revoked: a file-level problem (not UTF-8, no such header), or
/// the rows to revoke and the rows that cannot be (a record over <see cref="MaxRecordBytes"/>, broken quoting, no
/// id, no or a bad reason), each as a <see cref="RevocationOutcome.Rejected"/> with its row number (1 = the header).
/// </summary>
public sealed record BulkRevocationFile(string? FileError, IReadOnlyList<BulkRevocationEntry> Entries, IReadOnlyList<BulkRevocationRow> Invalid)
{
    /// <summary>The longest record: a credential id and a reason of at most 500 characters fit many times over.</summary>
    public const int MaxRecordBytes = 64 * 1024;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// Reads a CSV with the header <c>credential_id,reason</c> (any order, any case, more columns ignored;
    /// comma-separated, UTF-8). Never throws for any content.
    /// </summary>
    public static async Task<BulkRevocationFile> ReadAsync(byte[] csv, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(csv);
        if (NotUtf8(csv) is { } encoding)
        {
            return new BulkRevocationFile(encoding, [], []);
        }
        var malformed = new Dictionary<long, CsvMalformedReason>();
        var guard = new RecordSizeGuardStream(new MemoryStream(csv, writable: false), MaxRecordBytes, ',');
        await using var reader = CsvReader.Create(guard, CsvInput.Options(2 * MaxRecordBytes, record => malformed[record.RecordNumber] = record.Reason), leaveOpen: false);
        await reader.ReadHeaderAsync(cancellationToken);
        if (reader.Headers.Count == 0)
        {
            return new BulkRevocationFile(guard.Oversized.Count > 0
                ? OversizedHeader(guard.Oversized[0])
                : $"The file is empty: expected the header \"{RevokeCredentialHandler.CredentialIdColumn},{RevokeCredentialHandler.ReasonColumn}\".", [], []);
        }
        var headers = reader.Headers.Select(h => h.Trim()).ToList();
        var idColumn = headers.FindIndex(h => string.Equals(h, RevokeCredentialHandler.CredentialIdColumn, StringComparison.OrdinalIgnoreCase));
        var reasonColumn = headers.FindIndex(h => string.Equals(h, RevokeCredentialHandler.ReasonColumn, StringComparison.OrdinalIgnoreCase));
        if (idColumn < 0 || reasonColumn < 0)
        {
            return new BulkRevocationFile(guard.Oversized.Count > 0
                ? OversizedHeader(guard.Oversized[0])
                : $"Row 1 (header): expected the columns \"{RevokeCredentialHandler.CredentialIdColumn}\" and \"{RevokeCredentialHandler.ReasonColumn}\", found {string.Join(", ", headers.Select(h => $"\"{h}\""))}.",
                [], []);
        }

        var entries = new List<BulkRevocationEntry>();
        var invalid = new List<BulkRevocationRow>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var row = checked((int)reader.LineNumber);
            string Cell(int column) => column < reader.FieldCount ? reader.GetString(column) : "";
            var id = Cell(idColumn).Trim();
            var reason = Cell(reasonColumn);
            if (malformed.Remove(reader.RowNumber + 1, out var quoting))
            {
                invalid.Add(new BulkRevocationRow(row, id, new RevocationOutcome.Rejected("row",
                    $"expected quotes only around whole cells, with quotes inside a cell doubled (\"\"); found {Describe(quoting)}")));
            }
            else if (RevokeCredentialHandler.Check(id, reason) is { } rejected)
            {
                invalid.Add(new BulkRevocationRow(row, id, rejected));
            }
            else
            {
                entries.Add(new BulkRevocationEntry(row, id, reason.Trim()));
            }
        }
        invalid.AddRange(guard.Oversized.Select(o => new BulkRevocationRow(o.Line, "", new RevocationOutcome.Rejected("row",
            $"expected a row of at most {MaxRecordBytes} bytes (64 KB); found {o.Bytes} bytes starting \"{o.Start}\" (a huge cell, or a quote never closed?)"))));
        return new BulkRevocationFile(null, entries, [.. invalid.OrderBy(r => r.Row)]);
    }

    private static string OversizedHeader(OversizedRecord record) =>
        $"Row {record.Line} (header) is {record.Bytes} bytes long; expected the header \"{RevokeCredentialHandler.CredentialIdColumn},{RevokeCredentialHandler.ReasonColumn}\" within {MaxRecordBytes} bytes.";

    private static string? NotUtf8(byte[] csv)
    {
        try
        {
            StrictUtf8.GetCharCount(csv);
            return null;
        }
        catch (DecoderFallbackException e)
        {
            var at = Math.Clamp(e.Index, 0, csv.Length);
            var row = csv.AsSpan(0, at).Count((byte)'\n') + 1;
            return $"Row {row} is not UTF-8 (byte {at + 1} of the file starts no character); save the file as UTF-8 and send it again.";
        }
    }

    private static string Describe(CsvMalformedReason reason) => reason switch
    {
        CsvMalformedReason.StrayQuote => "a stray quote",
        CsvMalformedReason.TextAfterClosingQuote => "text after a closing quote",
        CsvMalformedReason.UnterminatedQuote => "a quote that is never closed",
        _ => reason.ToString(),
    };
}
