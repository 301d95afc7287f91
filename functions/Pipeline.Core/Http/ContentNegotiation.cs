using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Pipeline.Core.Http;

/// <summary>Picks a representation from the request's <c>Accept</c> header (RFC 9110 §12.5.1, quality values and specificity).</summary>
internal static class ContentNegotiation
{
    /// <summary>
    /// The offered media type the client ranks highest. Each offer gets the quality of the most specific Accept range
    /// that covers it; ties, a missing Accept header, or nothing acceptable go to the earliest offer.
    /// </summary>
    public static string Choose(HttpRequest request, params string[] offered)
    {
        var accept = request.GetTypedHeaders().Accept;
        if (accept.Count == 0)
        {
            return offered[0];
        }
        var best = offered[0];
        var bestQuality = 0.0;
        foreach (var offer in offered)
        {
            var quality = QualityOf(MediaTypeHeaderValue.Parse(offer), accept);
            if (quality > bestQuality)
            {
                best = offer;
                bestQuality = quality;
            }
        }
        return best;
    }

    /// <summary>True when a browser asks: the client ranks <c>text/html</c> above <paramref name="alternative"/>.</summary>
    public static bool PrefersHtml(HttpRequest request, string alternative) =>
        Choose(request, alternative, MediaTypes.Html) == MediaTypes.Html;

    private static double QualityOf(MediaTypeHeaderValue offer, IList<MediaTypeHeaderValue> accept)
    {
        var specificity = -1;
        var quality = 0.0;
        foreach (var range in accept)
        {
            if (!Covers(range, offer))
            {
                continue;
            }
            var rangeSpecificity = range.MatchesAllTypes ? 0 : range.MatchesAllSubTypes ? 1 : 2;
            if (rangeSpecificity > specificity)
            {
                specificity = rangeSpecificity;
                quality = range.Quality ?? 1.0;
            }
        }
        return quality;
    }

    /// <summary>
    /// Whether an Accept range covers an offer: <c>*/*</c>, <c>type/*</c> or the exact type. Structured-syntax suffixes
    /// are deliberately not matched (<c>application/json</c> does not ask for <c>application/vc+ld+json</c>).
    /// </summary>
    private static bool Covers(MediaTypeHeaderValue range, MediaTypeHeaderValue offer) =>
        range.MatchesAllTypes
        || (range.MatchesAllSubTypes && range.Type.Equals(offer.Type, StringComparison.OrdinalIgnoreCase))
        || range.MediaType.Equals(offer.MediaType, StringComparison.OrdinalIgnoreCase);
}
