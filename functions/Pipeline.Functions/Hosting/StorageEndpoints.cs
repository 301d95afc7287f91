using Azure.Core;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Microsoft.Extensions.Configuration;

namespace Pipeline.Functions.Hosting;

/// <summary>
/// The storage account of a Functions connection setting, read the way the host reads it: <c>{name}</c> as a connection
/// string (Azurite, local runs), or <c>{name}__accountName</c> for identity-based access (Azure, shared keys off).
/// </summary>
internal sealed class StorageEndpoints
{
    private readonly string? _connectionString;
    private readonly string? _accountName;

    private StorageEndpoints(string? connectionString, string? accountName)
    {
        _connectionString = connectionString;
        _accountName = accountName;
    }

    public static StorageEndpoints From(IConfiguration configuration, string name)
    {
        var connectionString = configuration[name];
        var accountName = configuration[$"{name}:accountName"];
        if (string.IsNullOrWhiteSpace(connectionString) && string.IsNullOrWhiteSpace(accountName))
        {
            throw new InvalidOperationException($"App setting {name} (a connection string) or {name}__accountName (managed identity) is required.");
        }
        return new StorageEndpoints(string.IsNullOrWhiteSpace(connectionString) ? null : connectionString, accountName);
    }

    public BlobServiceClient Blobs(TokenCredential credential) =>
        _connectionString is { } cs ? new BlobServiceClient(cs) : new BlobServiceClient(Service("blob"), credential);

    public QueueServiceClient Queues(TokenCredential credential, QueueClientOptions options) =>
        _connectionString is { } cs ? new QueueServiceClient(cs, options) : new QueueServiceClient(Service("queue"), credential, options);

    public TableServiceClient Tables(TokenCredential credential) =>
        _connectionString is { } cs ? new TableServiceClient(cs) : new TableServiceClient(Service("table"), credential);

    private Uri Service(string kind) => new($"https://{_accountName}.{kind}.core.windows.net/");
}
