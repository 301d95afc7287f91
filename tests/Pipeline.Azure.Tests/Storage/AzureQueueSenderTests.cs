using System.Text;
using Pipeline.Azure.Storage;
using Pipeline.Azure.Tests.TestData;
using Pipeline.Contracts.Tests.Contracts;
using Pipeline.Core.Contracts;
using Pipeline.Core.Storage;

namespace Pipeline.Azure.Tests.Storage;

/// <summary>The message-sender contract over Azurite. The contract uses the real queue names, so each test starts by clearing them.</summary>
public sealed class AzureQueueSenderTests : MessageSenderContract
{
    protected override async Task<IMessageSender> CreateSutAsync()
    {
        var service = (await Azurite.GetAsync()).Queues();
        foreach (var queue in Queues.All)
        {
            var client = service.GetQueueClient(queue);
            await client.CreateIfNotExistsAsync();
            await client.ClearMessagesAsync();
        }
        return new AzureQueueSender(service);
    }

    protected override async Task<IReadOnlyList<string>> DrainAsync(string queue)
    {
        var client = (await Azurite.GetAsync()).Queues().GetQueueClient(queue);
        var bodies = new List<string>();
        while ((await client.ReceiveMessagesAsync(32)).Value is { Length: > 0 } batch)
        {
            foreach (var message in batch)
            {
                await client.DeleteMessageAsync(message.MessageId, message.PopReceipt);
                bodies.Add(message.Body.ToString());
            }
        }
        return bodies;
    }

    [Fact]
    public async Task Send_stores_the_body_as_Base64_of_its_UTF8_as_the_queue_trigger_expects()
    {
        var sut = await CreateSutAsync();
        const string body = "{\"learnerId\":\"S1001\",\"name\":\"Zoë\"}";

        await sut.SendAsync(new OutgoingMessage(Queues.Emails, body), CancellationToken.None);

        var raw = (await Azurite.GetAsync()).RawQueues().GetQueueClient(Queues.Emails);
        var stored = Assert.Single((await raw.ReceiveMessagesAsync(32)).Value);
        Assert.Equal(Convert.ToBase64String(Encoding.UTF8.GetBytes(body)), stored.MessageText);
        Assert.Equal(body, Encoding.UTF8.GetString(Convert.FromBase64String(stored.MessageText)));
    }
}
