using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Net.Http.Headers;

namespace Pipeline.Core.Http;

/// <summary>An input that cannot be read: its problem type and what is wrong, in plain words.</summary>
public sealed record InputProblem(ProblemType Type, string Detail);

/// <summary>The structural limits of a form body, each refused with its own <see cref="ProblemTypes.FormLimitExceeded"/> detail.</summary>
public sealed record FormLimits
{
    /// <summary>Fields and files together.</summary>
    public int MaxParts { get; init; } = 16;

    /// <summary>The headers of one multipart part, together.</summary>
    public int MaxPartHeaderBytes { get; init; } = 16 * 1024;

    /// <summary>RFC 2046 §5.1.1: a boundary is 1 to 70 characters.</summary>
    public int MaxBoundaryLength { get; init; } = 70;
}

/// <summary>
/// The one way an endpoint reads a request body (issue 21): at most a given number of bytes, counted as they are read
/// (so a chunked body, which has no Content-Length, is held to the same limit), and every failure — too large, cut
/// off, a broken multipart form, a form over a structural limit, text that is not UTF-8, JSON that is not one object
/// with each member once (<see cref="Json.StrictJson"/>) — an <see cref="InputProblem"/> with a stable type and a plain detail, never an exception
/// and never a library's message.
/// </summary>
public static class RequestBody
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The whole body, or the problem: more than <paramref name="maxBytes"/> (<paramref name="tooLarge"/> says so), cut off, or unreadable.</summary>
    public static async Task<(byte[]? Body, InputProblem? Problem)> ReadAsync(HttpRequest request, int maxBytes, string tooLarge, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.ContentLength > maxBytes)
        {
            return (null, new InputProblem(ProblemTypes.PayloadTooLarge, tooLarge));
        }
        try
        {
            using var buffer = new MemoryStream();
            var chunk = new byte[16 * 1024];
            int read;
            while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
            {
                if (buffer.Length + read > maxBytes)
                {
                    return (null, new InputProblem(ProblemTypes.PayloadTooLarge, tooLarge));
                }
                buffer.Write(chunk, 0, read);
            }
            return (buffer.ToArray(), null);
        }
        catch (Exception e) when (Unreadable(request, e) is { } problem)
        {
            return (null, problem);
        }
    }

    /// <summary>
    /// The form (<c>multipart/form-data</c> or <c>application/x-www-form-urlencoded</c>; the caller checks
    /// <see cref="HttpRequest.HasFormContentType"/>), or the problem: larger than <paramref name="maxBytes"/>, cut off
    /// before its closing boundary, malformed, or over one of <paramref name="limits"/>.
    /// </summary>
    public static async Task<(IFormCollection? Form, InputProblem? Problem)> ReadFormAsync(
        HttpRequest request, int maxBytes, FormLimits limits, string tooLarge, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(limits);
        if (request.ContentLength > maxBytes)
        {
            return (null, new InputProblem(ProblemTypes.PayloadTooLarge, tooLarge));
        }
        if (MediaTypeHeaderValue.TryParse(request.ContentType, out var type)
            && type.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
        {
            var boundary = HeaderUtilities.RemoveQuotes(type.Boundary).Value ?? "";
            if (boundary.Length == 0)
            {
                return (null, new InputProblem(ProblemTypes.MalformedForm, "The multipart Content-Type has no boundary parameter."));
            }
            if (boundary.Length > limits.MaxBoundaryLength)
            {
                return (null, new InputProblem(ProblemTypes.FormLimitExceeded,
                    $"The multipart boundary is {boundary.Length} characters long; at most {limits.MaxBoundaryLength} are allowed (RFC 2046)."));
            }
        }
        var body = new CountedStream(request.Body, maxBytes);
        request.Body = body;
        request.HttpContext.Features.Set<IFormFeature>(new FormFeature(request, new FormOptions
        {
            MultipartBodyLengthLimit = (long)maxBytes * 2,
            ValueLengthLimit = int.MaxValue,
            ValueCountLimit = limits.MaxParts,
            MultipartHeadersLengthLimit = limits.MaxPartHeaderBytes,
            MultipartBoundaryLengthLimit = limits.MaxBoundaryLength,
            BufferBodyLengthLimit = (long)maxBytes * 2,
        }));
        try
        {
            return (await request.ReadFormAsync(cancellationToken), null);
        }
        catch (Exception) when (body.Exceeded)
        {
            return (null, new InputProblem(ProblemTypes.PayloadTooLarge, tooLarge));
        }
        catch (InvalidDataException e)
        {
            return (null, FormProblem(e.Message, limits));
        }
        catch (Exception e) when (Unreadable(request, e) is { } problem)
        {
            return (null, problem);
        }
    }

    /// <summary>The text of a body that must be UTF-8, or where it is not.</summary>
    public static (string? Text, InputProblem? Problem) Utf8(byte[] body, ProblemType type, string what)
    {
        ArgumentNullException.ThrowIfNull(body);
        try
        {
            return (StrictUtf8.GetString(body), null);
        }
        catch (DecoderFallbackException e)
        {
            return (null, new InputProblem(type, $"{what} is not UTF-8: byte {e.Index + 1} (0x{(e.BytesUnknown is [var b, ..] ? b : 0):X2}) starts no character."));
        }
    }

    /// <summary>A form the ASP.NET reader refused: which structural limit, or malformed (its own words are never shown).</summary>
    private static InputProblem FormProblem(string message, FormLimits limits)
    {
        bool Says(string words) => message.Contains(words, StringComparison.OrdinalIgnoreCase);
        if (Says("value count limit"))
        {
            return new InputProblem(ProblemTypes.FormLimitExceeded, $"The form has more than {limits.MaxParts} fields and files; send only the fields this endpoint reads.");
        }
        if (Says("headers length limit") || Says("line length limit"))
        {
            return new InputProblem(ProblemTypes.FormLimitExceeded, $"A part of the multipart form has headers longer than {limits.MaxPartHeaderBytes} bytes.");
        }
        if (Says("headers count limit"))
        {
            return new InputProblem(ProblemTypes.FormLimitExceeded, "A part of the multipart form has too many headers.");
        }
        if (Says("key length limit"))
        {
            return new InputProblem(ProblemTypes.FormLimitExceeded, "A field name of the form is longer than 2048 bytes.");
        }
        if (Says("boundary length limit"))
        {
            return new InputProblem(ProblemTypes.FormLimitExceeded, $"The multipart boundary is longer than {limits.MaxBoundaryLength} characters (RFC 2046).");
        }
        return new InputProblem(ProblemTypes.MalformedForm, "The multipart form cannot be read: its boundaries or part headers are malformed.");
    }

    /// <summary>A body that could not be read to its end: over the server's own limit, cut off, or badly framed.</summary>
    private static InputProblem? Unreadable(HttpRequest request, Exception e) => e switch
    {
        BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } => new InputProblem(ProblemTypes.PayloadTooLarge,
            $"The request body is larger than this server accepts ({request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize} bytes)."),
        BadHttpRequestException => new InputProblem(ProblemTypes.MalformedBody, "The request body cannot be read: it ended early or its chunked framing is broken."),
        IOException when request.HasFormContentType => new InputProblem(ProblemTypes.MalformedForm, "The multipart form ends before its closing boundary: the upload was cut off."),
        IOException => new InputProblem(ProblemTypes.MalformedBody, "The request body cannot be read: it ended early."),
        _ => null,
    };

    /// <summary>Passes a body through, counting its bytes; past the limit it stops with <see cref="Exceeded"/> set.</summary>
    private sealed class CountedStream(Stream inner, long limit) : Stream
    {
        private long _read;

        public bool Exceeded { get; private set; }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _read; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Count(await inner.ReadAsync(buffer, cancellationToken));

        public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            Count(await inner.ReadAsync(buffer.AsMemory(offset, count), cancellationToken));

        private int Count(int read)
        {
            _read += read;
            if (_read > limit)
            {
                Exceeded = true;
                throw new InvalidDataException("The body is over its limit.");
            }
            return read;
        }

        /// <summary>A read-only stream has nothing to flush.</summary>
        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
