using System.Text.Json;
using Pipeline.Contracts.Tests.TestData;
using Pipeline.Core.Contracts;
using Pipeline.Core.Storage;

namespace Pipeline.Contracts.Tests.Contracts;

/// <summary>What every <see cref="IEventPublisher"/> adapter must do; <see cref="ReadPublishedAsync"/> reads what reached the topic or table.</summary>
public abstract class EventPublisherContract
{
    protected abstract Task<IEventPublisher> CreateSutAsync();

    /// <summary>The JSON bodies published so far, in order.</summary>
    protected abstract Task<IReadOnlyList<string>> ReadPublishedAsync();

    private static CredentialIssued Issued(string eventId = "issued:cred-1") => new()
    {
        EventId = eventId,
        CorrelationId = "corr-1",
        OccurredAt = Records.Time,
        CredentialId = "cred-1",
        IssuerId = "umaine",
        AchievementId = "robotics-1",
        LearnerId = "S1001",
        VerificationUrl = new Uri("https://badges.example.edu/credentials/cred-1"),
    };

    [Fact]
    public async Task Publish_writes_the_event_as_contract_json()
    {
        var sut = await CreateSutAsync();

        await sut.PublishAsync(Issued(), CancellationToken.None);

        var body = Assert.Single(await ReadPublishedAsync());
        Assert.Equal(Issued(), JsonSerializer.Deserialize(body, ContractsJsonContext.Default.CredentialIssued));
        using var json = JsonDocument.Parse(body);
        Assert.Equal("CredentialIssued", json.RootElement.GetProperty("eventType").GetString());
    }

    [Fact]
    public async Task Publish_same_event_id_twice_publishes_once()
    {
        var sut = await CreateSutAsync();

        await sut.PublishAsync(Issued(), CancellationToken.None);
        await sut.PublishAsync(Issued(), CancellationToken.None);
        await sut.PublishAsync(new CredentialRevoked
        {
            EventId = "revoked:cred-1",
            CorrelationId = "corr-2",
            OccurredAt = Records.Time.AddDays(1),
            CredentialId = "cred-1",
            Reason = "issued in error",
            Actor = "admin@example.edu",
        }, CancellationToken.None);

        var bodies = await ReadPublishedAsync();
        Assert.Equal(2, bodies.Count);
        Assert.Equal("revoked:cred-1", JsonSerializer.Deserialize(bodies[1], ContractsJsonContext.Default.CredentialRevoked)!.EventId);
    }
}
