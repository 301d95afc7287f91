using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace Pipeline.Core.Tests.TestData;

/// <summary>
/// The web as the <see cref="Pipeline.Core.Verification.SafeHttpFetcher"/> sees it in tests: canned answers by absolute
/// URL (anything else is 404), and every request it was asked for. Nothing leaves the machine.
/// </summary>
internal sealed class CannedWeb : HttpMessageHandler
{
    private readonly Dictionary<string, (HttpStatusCode Status, string MediaType, byte[] Body)> _answers = new(StringComparer.Ordinal);
    private readonly List<HttpRequestMessage> _requests = [];
    private readonly Lock _lock = new();

    public IReadOnlyList<HttpRequestMessage> Requests
    {
        get
        {
            lock (_lock)
            {
                return [.. _requests];
            }
        }
    }

    public void Answer(string url, string body, string mediaType = "application/json", HttpStatusCode status = HttpStatusCode.OK) =>
        Answer(url, Encoding.UTF8.GetBytes(body), mediaType, status);

    public void Answer(string url, byte[] body, string mediaType, HttpStatusCode status = HttpStatusCode.OK)
    {
        lock (_lock)
        {
            _answers[new Uri(url).AbsoluteUri] = (status, mediaType, body);
        }
    }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        lock (_lock)
        {
            _requests.Add(request);
            if (!_answers.TryGetValue(request.RequestUri!.AbsoluteUri, out var answer))
            {
                return Task.FromResult(new HttpResponseMessage(HttpStatusCode.NotFound) { RequestMessage = request });
            }
            var content = new ByteArrayContent(answer.Body);
            content.Headers.ContentType = new MediaTypeHeaderValue(answer.MediaType);
            return Task.FromResult(new HttpResponseMessage(answer.Status) { Content = content, RequestMessage = request });
        }
    }
}
