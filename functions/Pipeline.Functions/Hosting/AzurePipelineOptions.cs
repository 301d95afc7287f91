using System.ComponentModel.DataAnnotations;

namespace Pipeline.Functions.Hosting;

/// <summary>How the Functions app sends mail (<c>Pipeline__Mail</c>).</summary>
public enum AzureMailDelivery
{
    /// <summary>Communication Services Email with the managed identity (<c>Pipeline__AcsEndpoint</c>).</summary>
    Acs,
    /// <summary>The institution's own SMTP relay through MailKit (<c>Smtp__Host</c>, <c>Smtp__Port</c>, …).</summary>
    Smtp,
}

/// <summary>
/// The <c>Pipeline</c> app settings (<c>Pipeline__…</c> in Azure). Storage is the Functions host's own
/// <c>AzureWebJobsStorage</c> connection: a connection string (Azurite) or <c>AzureWebJobsStorage__accountName</c> with
/// the managed identity. Every other service is reached with the managed identity (<c>AZURE_CLIENT_ID</c>).
/// </summary>
public sealed class AzurePipelineOptions : IValidatableObject
{
    public const string Section = "Pipeline";

    /// <summary>The catalog folder deployed with the app (relative to the app folder).</summary>
    [Required]
    public string CatalogFolder { get; set; } = "catalog";

    /// <summary>Base64 of the subject-id secret (32 bytes): a Key Vault reference in Azure, never a literal.</summary>
    [Required]
    public string SubjectIdSecret { get; set; } = "";

    /// <summary>Key Vault holding the issuers' signing keys, e.g. <c>https://badges-kv.vault.azure.net/</c>.</summary>
    [Required]
    public Uri? KeyVaultUri { get; set; }

    /// <summary>Service Bus namespace host name, e.g. <c>badges-sb.servicebus.windows.net</c>.</summary>
    [Required]
    public string ServiceBusNamespace { get; set; } = "";

    /// <summary>The topic that receives CredentialIssued / CredentialRevoked.</summary>
    [Required]
    public string EventsTopic { get; set; } = "credential-events";

    /// <summary>Which mailer sends the claim emails; <see cref="AzureMailDelivery.Smtp"/> reads the <c>Smtp</c> section.</summary>
    public AzureMailDelivery Mail { get; set; } = AzureMailDelivery.Acs;

    /// <summary>Communication Services endpoint, e.g. <c>https://badges-acs.unitedstates.communication.azure.com/</c>; required with <see cref="AzureMailDelivery.Acs"/>.</summary>
    public Uri? AcsEndpoint { get; set; }

    /// <summary>Emails sent per sliding minute by each app instance; more wait. ACS's default quota is 30.</summary>
    [Range(1, 100_000)]
    public int AcsMessagesPerMinute { get; set; } = 30;

    /// <summary>Emails sent per sliding hour by each app instance; more wait. ACS's default quota is 100.</summary>
    [Range(1, 1_000_000)]
    public int AcsMessagesPerHour { get; set; } = 100;

    /// <summary>The Entra ID tenant whose access tokens the admin API accepts.</summary>
    [Required]
    public string AdminTenantId { get; set; } = "";

    /// <summary>The admin API's audience: its app registration's App ID URI (e.g. <c>api://credential-pipeline-admin</c>) or client id.</summary>
    [Required]
    public string AdminAudience { get; set; } = "";

    /// <summary>The app role an admin caller must hold.</summary>
    public string AdminRole { get; set; } = "Credentials.Admin";

    /// <summary>Prefix of the table names (empty in a dedicated storage account).</summary>
    public string TablePrefix { get; set; } = "";

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Mail == AzureMailDelivery.Acs && AcsEndpoint is null)
        {
            yield return new ValidationResult(
                $"{Section}:{nameof(AcsEndpoint)} is required when {Section}:{nameof(Mail)} is {nameof(AzureMailDelivery.Acs)}.", [nameof(AcsEndpoint)]);
        }
    }
}
