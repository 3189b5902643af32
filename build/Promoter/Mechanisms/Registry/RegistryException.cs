using System.Net;
using System.Text.Json;

namespace Promoter.Registry;

/// <summary>
/// The single exception type of the registry client: a failed request, a refused or reset connection,
/// a digest that does not match the bytes, or a local registry that cannot start. Messages never contain
/// credentials.
/// </summary>
public sealed class RegistryException : PromoterException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">The full message.</param>
    /// <param name="reference">What the request was about, e.g. <c>127.0.0.1:5000/foo:1.0</c>; null when not about one reference.</param>
    /// <param name="statusCode">The HTTP status the registry answered, or null when there was no answer.</param>
    /// <param name="errors">The OCI error codes from the registry's JSON body (empty when none).</param>
    /// <param name="inner">The underlying exception, if any.</param>
    public RegistryException(string message, string? reference = null, HttpStatusCode? statusCode = null,
        IReadOnlyList<RegistryError>? errors = null, Exception? inner = null)
        : base(message, inner)
    {
        Reference = reference;
        StatusCode = statusCode;
        Errors = errors ?? [];
    }

    /// <summary>What the request was about (registry/repository[:tag|@digest]), or null.</summary>
    public string? Reference { get; }

    /// <inheritdoc />
    public override string? Subject => Reference;

    /// <summary>The HTTP status of the registry's answer, or null when no answer came (connection refused, digest mismatch).</summary>
    public HttpStatusCode? StatusCode { get; }

    /// <summary>The registry's OCI error codes and messages, in the order the body listed them.</summary>
    public IReadOnlyList<RegistryError> Errors { get; }

    /// <summary>True when the request failed because the registry (or its token server) stayed silent for the read timeout
    /// or did not take the connection within the connect timeout.</summary>
    internal bool IsTimeout { get; init; }

    /// <summary>True when a step of an upload session (a chunk, the commit) ended without an answer (reset, timeout):
    /// the session may be half-written, so the step is not repeated in it; <see cref="ConcurrentWriter"/> restarts the
    /// upload in a new session instead.</summary>
    internal bool UploadSessionBroken { get; init; }

    /// <summary>True when the registry reported <paramref name="code"/> (e.g. <c>NAME_UNKNOWN</c>).</summary>
    public bool HasErrorCode(string code) => Errors.Any(e => e.Code == code);

    /// <summary>
    /// Reads an OCI error body (<c>{"errors":[{"code":..,"message":..,"detail":..}]}</c>); returns an empty list when
    /// the body is empty or not that shape (registries and proxies also answer with HTML or nothing).
    /// </summary>
    internal static IReadOnlyList<RegistryError> ParseErrorBody(ReadOnlySpan<byte> body)
    {
        if (body.IsEmpty) return [];
        try
        {
            using var json = JsonDocument.Parse(body.ToArray());
            if (json.RootElement.ValueKind != JsonValueKind.Object
                || !json.RootElement.TryGetProperty("errors", out var errors)
                || errors.ValueKind != JsonValueKind.Array)
                return [];
            var list = new List<RegistryError>();
            foreach (var e in errors.EnumerateArray())
            {
                if (e.ValueKind != JsonValueKind.Object) continue;
                var code = e.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString()! : "UNKNOWN";
                var message = e.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString()! : "";
                list.Add(new RegistryError(code, message));
            }
            return list;
        }
        catch (JsonException)
        {
            return [];
        }
    }
}
