using Pipeline.Core.Contracts;
using Pipeline.Core.Storage;

namespace Pipeline.Contracts.Tests.Contracts;

/// <summary>What every <see cref="IMessageSender"/> adapter must do; <see cref="DrainAsync"/> receives and deletes everything on a queue.</summary>
public abstract class MessageSenderContract
{
    protected abstract Task<IMessageSender> CreateSutAsync();

    /// <summary>The bodies on <paramref name="queue"/>, received and deleted.</summary>
    protected abstract Task<IReadOnlyList<string>> DrainAsync(string queue);

    [Fact]
    public async Task Send_puts_the_body_on_the_named_queue_only()
    {
        var sut = await CreateSutAsync();

        await sut.SendAsync(new OutgoingMessage(Queues.Issuance, "{\"n\":1}"), CancellationToken.None);

        Assert.Equal(["{\"n\":1}"], await DrainAsync(Queues.Issuance));
        Assert.Empty(await DrainAsync(Queues.Emails));
    }

    [Fact]
    public async Task SendBatch_delivers_every_message()
    {
        var sut = await CreateSutAsync();
        var messages = Enumerable.Range(0, 250).Select(i => new OutgoingMessage(Queues.Completions, $"{{\"n\":{i}}}")).ToList();

        await sut.SendBatchAsync(messages, CancellationToken.None);

        Assert.Equal(messages.Select(m => m.Body).Order(StringComparer.Ordinal), (await DrainAsync(Queues.Completions)).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Send_to_an_invalid_queue_name_is_rejected()
    {
        var sut = await CreateSutAsync();

        await Assert.ThrowsAsync<ArgumentException>(() => sut.SendAsync(new OutgoingMessage("Bad_Name", "{}"), CancellationToken.None));
    }
}
