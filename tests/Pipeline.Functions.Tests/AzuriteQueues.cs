namespace Pipeline.Functions.Tests;

/// <summary>
/// Tests that read or clear the app's fixed queues (issuance, emails) in the shared Azurite: one collection, so they run
/// one after another and never take each other's messages.
/// </summary>
[CollectionDefinition(Name)]
public sealed class AzuriteQueues
{
    public const string Name = "Azurite queues";
}
