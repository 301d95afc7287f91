using Microsoft.Extensions.Time.Testing;
using Pipeline.Local.Tests.TestData;
using Pipeline.Local.Webhooks;

namespace Pipeline.Local.Tests.Webhooks;

public sealed class PartnerSecretStoreTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero));

    private PartnerSecretStore CreateSut() => new(Path.Combine(_folder.Path, "keys", "partners"), _time);

    [Fact]
    public async Task Add_rotate_retire_keep_at_most_two_secrets_newest_first()
    {
        var store = CreateSut();
        var (added, first) = await store.AddAsync("bootcamp", CancellationToken.None);
        Assert.Equal(SecretChange.Done, added);
        Assert.Equal(SecretChange.WrongState, (await store.AddAsync("bootcamp", CancellationToken.None)).Change);

        _time.Advance(TimeSpan.FromDays(30));
        var (rotated, second) = await store.RotateAsync("bootcamp", CancellationToken.None);
        Assert.Equal(SecretChange.Done, rotated);
        Assert.Equal(SecretChange.TwoActive, (await store.RotateAsync("bootcamp", CancellationToken.None)).Change);
        var active = await store.GetActiveAsync("bootcamp", CancellationToken.None);
        Assert.Equal([second, first], active.Select(s => s.Value));
        Assert.Equal(_time.GetUtcNow(), active[0].CreatedAt);

        Assert.Equal(SecretChange.Done, await store.RetireAsync("bootcamp", CancellationToken.None));
        Assert.Equal([second], (await store.GetActiveAsync("bootcamp", CancellationToken.None)).Select(s => s.Value));
        Assert.Equal(SecretChange.WrongState, await store.RetireAsync("bootcamp", CancellationToken.None));
        Assert.Matches("^whsec_[A-Za-z0-9_-]{43}$", second!);
        Assert.NotEqual(first, second);
    }

    [Fact]
    public async Task The_secret_file_is_readable_by_its_owner_only()
    {
        var store = CreateSut();
        await store.AddAsync("bootcamp", CancellationToken.None);

        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(store.PathOf("bootcamp")));
        }
    }

    [Fact]
    public void A_partner_id_that_is_not_a_slug_names_no_file() =>
        Assert.Throws<ArgumentException>(() => CreateSut().PathOf("../catalog"));

    public void Dispose() => _folder.Dispose();
}
