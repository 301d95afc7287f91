using Azure;
using Azure.Data.Tables;

namespace Pipeline.Azure.Storage;

/// <summary>
/// The tables of the Azure adapter set and their creation. Names are fixed (a prefix separates deployments sharing an
/// account, and tests); every adapter takes its <see cref="TableClient"/>, created by <see cref="CreateAsync"/>.
/// </summary>
public sealed class PipelineTables
{
    private PipelineTables(TableServiceClient service, string prefix)
    {
        Events = service.GetTableClient(prefix + "events");
        Progress = service.GetTableClient(prefix + "progress");
        Credentials = service.GetTableClient(prefix + "credentials");
        CredentialsByLearner = service.GetTableClient(prefix + "credentialsbylearner");
        Claims = service.GetTableClient(prefix + "claims");
        ClaimTokens = service.GetTableClient(prefix + "claimtokens");
        Audit = service.GetTableClient(prefix + "audit");
        StatusLists = service.GetTableClient(prefix + "statuslists");
    }

    /// <summary>Completion events: partition = learner, row = event id.</summary>
    public TableClient Events { get; }

    /// <summary>Learner profile (row <c>profile</c>) and earned achievements (rows <c>earned:{achievement}</c>): partition = learner.</summary>
    public TableClient Progress { get; }

    /// <summary>Credential rows: partition = credential id, row <c>credential</c>.</summary>
    public TableClient Credentials { get; }

    /// <summary>Index of credentials by learner: partition = learner, row = credential id.</summary>
    public TableClient CredentialsByLearner { get; }

    /// <summary>Claims: partition = credential id, row <c>claim</c>.</summary>
    public TableClient Claims { get; }

    /// <summary>Index of claims by token hash: partition = token hash, row <c>token</c>.</summary>
    public TableClient ClaimTokens { get; }

    /// <summary>Audit entries: partition = credential id, row = entry id.</summary>
    public TableClient Audit { get; }

    /// <summary>Status lists: partition = issuer, row = the list number zero-padded to 10 digits.</summary>
    public TableClient StatusLists { get; }

    /// <summary>The tables, created if absent. <paramref name="prefix"/>: letters and digits, starting with a letter, or empty.</summary>
    public static async Task<PipelineTables> CreateAsync(TableServiceClient service, string prefix, CancellationToken cancellationToken)
    {
        var tables = Open(service, prefix);
        await tables.EnsureCreatedAsync(cancellationToken);
        return tables;
    }

    /// <summary>The tables' clients, without calling the service (the infrastructure, or <see cref="EnsureCreatedAsync"/>, creates them).</summary>
    public static PipelineTables Open(TableServiceClient service, string prefix)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(prefix);
        if (prefix.Length > 40 || !prefix.All(char.IsAsciiLetterOrDigit) || (prefix.Length > 0 && !char.IsAsciiLetter(prefix[0])))
        {
            throw new ArgumentException($"Table prefix \"{prefix}\": expected at most 40 ASCII letters and digits, starting with a letter.", nameof(prefix));
        }
        return new PipelineTables(service, prefix);
    }

    /// <summary>Creates every table that does not exist yet.</summary>
    public async Task EnsureCreatedAsync(CancellationToken cancellationToken)
    {
        foreach (var table in All)
        {
            await table.CreateIfNotExistsAsync(cancellationToken);
        }
    }

    /// <summary>The table names (for the infrastructure and its tests).</summary>
    public IReadOnlyList<string> Names => All.Select(t => t.Name).ToList();

    private IEnumerable<TableClient> All => [Events, Progress, Credentials, CredentialsByLearner, Claims, ClaimTokens, Audit, StatusLists];

    internal static bool IsConflict(RequestFailedException exception) => exception.Status == 409;

    internal static bool IsPreconditionFailed(RequestFailedException exception) => exception.Status == 412;

    internal static bool IsNotFound(RequestFailedException exception) => exception.Status == 404;

    internal static async Task<TableEntity?> GetOrNullAsync(TableClient table, string partitionKey, string rowKey, CancellationToken cancellationToken)
    {
        var response = await table.GetEntityIfExistsAsync<TableEntity>(partitionKey, rowKey, cancellationToken: cancellationToken);
        return response.HasValue ? response.Value : null;
    }

    internal static async Task<List<TableEntity>> QueryPartitionAsync(TableClient table, string partitionKey, CancellationToken cancellationToken)
    {
        var rows = new List<TableEntity>();
        await foreach (var entity in table.QueryAsync<TableEntity>(e => e.PartitionKey == partitionKey, cancellationToken: cancellationToken))
        {
            rows.Add(entity);
        }
        return rows;
    }
}
