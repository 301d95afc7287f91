using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using Pipeline.Core.Http.ClaimLinks;
using Pipeline.Core.Storage;
using Pipeline.Local.Hosting;
using Pipeline.Local.Storage;
using Xunit.Abstractions;

namespace Pipeline.Local.Tests.Hosting;

/// <summary>Alone, so no other test's work shows in the times this one compares.</summary>
[CollectionDefinition(nameof(TimingMeasured), DisableParallelization = true)]
public sealed class TimingMeasured;

/// <summary>
/// <c>POST /claim</c> over the embedded host on Kestrel: the answer's timing must not tell a learner's address from
/// any other (issue 21 item 5: 38 ms against 2 ms before the lookup moved off the request path).
/// </summary>
[Collection(nameof(TimingMeasured))]
public sealed class NewClaimLinkTimingTests(ITestOutputHelper output)
{
    private const int Samples = 200;
    private const string UnknownEmail = "nobody.here@students.example.edu";

    [Fact]
    public async Task Known_and_unknown_addresses_take_the_same_time_to_answer()
    {
        await using var site = await EmbeddedSite.StartAsync(settings: new Dictionary<string, string?>
        {
            [NewClaimLinkOptions.Section + ":" + nameof(NewClaimLinkOptions.PerAddressLimit)] = "10000",
            [NewClaimLinkOptions.Section + ":" + nameof(NewClaimLinkOptions.PerEmailLimit)] = "1000",
        });
        var known = KnownEmail(site);
        for (var i = 0; i < 20; i++)
        {
            await TimeAsync(site, known);
            await TimeAsync(site, UnknownEmail);
        }

        // One shuffled sequence rather than pairs: the background work a known address causes then slows the next
        // request whichever it is, as often for a known one as for an unknown one.
        var order = Enumerable.Repeat(true, Samples).Concat(Enumerable.Repeat(false, Samples)).ToArray();
        new Random(21).Shuffle(order);
        var knownTimes = new List<double>(Samples);
        var unknownTimes = new List<double>(Samples);
        foreach (var isKnown in order)
        {
            (isKnown ? knownTimes : unknownTimes).Add(await TimeAsync(site, isKnown ? known : UnknownEmail));
        }

        var (knownMedian, unknownMedian) = (Median(knownTimes), Median(unknownTimes));
        var ratio = Math.Max(knownMedian, unknownMedian) / Math.Min(knownMedian, unknownMedian);
        var effect = ProbabilityOfSuperiority(knownTimes, unknownTimes);
        output.WriteLine($"median known {knownMedian:0.000} ms, unknown {unknownMedian:0.000} ms, ratio {ratio:0.000}; P(known > unknown) {effect:0.000}");
        Assert.True(ratio < 1.5, $"medians differ by {ratio:0.00}x: known {knownMedian:0.000} ms, unknown {unknownMedian:0.000} ms");
        Assert.InRange(effect, 0.3, 0.7);
    }

    [Fact]
    public async Task The_email_for_a_known_address_arrives_through_the_stages_and_none_for_an_unknown_one()
    {
        await using var site = await EmbeddedSite.StartAsync(learners: 4);
        var known = KnownEmail(site);
        var before = Outbox(site);

        using (var unknown = await PostAsync(site, UnknownEmail))
        {
            Assert.Equal(HttpStatusCode.OK, unknown.StatusCode);
        }
        await DrainAsync(site);
        var afterUnknown = Outbox(site);
        using (var response = await PostAsync(site, known.ToUpperInvariant()))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        await DrainAsync(site);
        var afterKnown = Outbox(site);

        Assert.Equal(before, afterUnknown);
        var resent = afterKnown.Except(before).ToList();
        Assert.NotEmpty(resent);
        Assert.All(resent, file =>
        {
            Assert.Contains(".resend-1@", file, StringComparison.Ordinal);
            Assert.Equal(known, Assert.Single(MimeMessage.Load(Path.Combine(site.Paths.Outbox, file)).To.Mailboxes).Address);
        });
        var issuedToKnown = before.Where(f => MimeMessage.Load(Path.Combine(site.Paths.Outbox, f)).To.Mailboxes.Single().Address == known).ToList();
        Assert.Equal(issuedToKnown.Count, resent.Count);
    }

    private static string KnownEmail(EmbeddedSite site) =>
        MimeMessage.Load(site.ClaimEmails()[0].File).To.Mailboxes.Single().Address;

    private static SortedSet<string> Outbox(EmbeddedSite site) =>
        new(Directory.GetFiles(site.Paths.Outbox, "*.eml").Select(f => Path.GetFileName(f)!), StringComparer.Ordinal);

    private static Task DrainAsync(EmbeddedSite site) =>
        QueueDrain.WaitUntilEmptyAsync(site.Services.GetRequiredService<SqliteQueue>(), TimeProvider.System, _ => { }, CancellationToken.None);

    private static async Task<double> TimeAsync(EmbeddedSite site, string email)
    {
        var started = Stopwatch.GetTimestamp();
        using var response = await PostAsync(site, email);
        await response.Content.ReadAsByteArrayAsync();
        var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return elapsed;
    }

    private static async Task<HttpResponseMessage> PostAsync(EmbeddedSite site, string email)
    {
        using var form = new FormUrlEncodedContent([new KeyValuePair<string, string>("email", email)]);
        return await site.Client.PostAsync("/" + NewClaimLinkEndpoint.Route, form);
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    /// <summary>The Mann-Whitney U statistic over n·m: the chance that a known address's time exceeds an unknown one's (ties count half); ½ when they are alike.</summary>
    private static double ProbabilityOfSuperiority(List<double> known, List<double> unknown)
    {
        var u = known.Sum(k => unknown.Sum(x => k > x ? 1.0 : k == x ? 0.5 : 0.0));
        return u / (known.Count * (double)unknown.Count);
    }
}
