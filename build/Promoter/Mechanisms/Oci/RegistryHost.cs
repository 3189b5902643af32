using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Promoter.Oci;

/// <summary>
/// A registry host as the distribution reference grammar writes it (<c>distribution/reference</c>, "domain"):
/// a DNS name, an IPv4 address or a bracketed IPv6 address, then an optional <c>:port</c>. Nothing else: no user-info
/// (<c>user@</c>), scheme, path, query or whitespace. Every check (loopback, hermetic runs, purge overlap) and the
/// client itself work on the same parsed value, so no spelling can pass a check for one host and reach another.
/// </summary>
public sealed record RegistryHost
{
    private RegistryHost(string name, int? port, bool isIPv6, bool isLoopback)
    {
        Name = name;
        Port = port;
        IsIPv6 = isIPv6;
        IsLoopback = isLoopback;
    }

    /// <summary>The host without port, lower-cased; an IPv6 address without brackets.</summary>
    public string Name { get; }

    /// <summary>The port (1 to 65535), or null when none was written.</summary>
    public int? Port { get; }

    /// <summary>True for a (bracketed) IPv6 address.</summary>
    public bool IsIPv6 { get; }

    /// <summary>True for <c>localhost</c>, <c>127.0.0.0/8</c> and <c>::1</c>.</summary>
    public bool IsLoopback { get; }

    /// <summary>
    /// Who answers, for "is this the same registry" checks: every loopback spelling (<c>localhost</c>, <c>127.0.0.1</c>,
    /// <c>[::1]</c>) is one host, names compare without regard to case, and a missing port is the scheme's default
    /// (80 on loopback, where plain http is used; 443 elsewhere).
    /// </summary>
    public string Identity => $"{(IsLoopback ? "loopback" : Name)}:{Port ?? (IsLoopback ? 80 : 443)}";

    /// <summary>Parses <paramref name="text"/>, e.g. <c>gcr.io</c>, <c>127.0.0.1:5000</c>, <c>[::1]:5000</c>.</summary>
    /// <exception cref="FormatException">Not a host[:port]; the message quotes the text (user-info redacted) and says why.</exception>
    public static RegistryHost Parse(string text) =>
        TryParse(text, out var host, out var error) ? host : throw new FormatException(error);

    /// <summary>As <see cref="Parse"/>, without throwing.</summary>
    /// <param name="text">The text to parse.</param>
    /// <param name="host">The host, or null.</param>
    /// <param name="error">Why the text is not a host (user-info redacted), or null.</param>
    public static bool TryParse(string? text, out RegistryHost host, out string? error)
    {
        host = null!;
        error = null;
        var shown = Redact(text ?? "");
        string Fail(string why) => $"'{shown}' is not a registry host: {why} (expected host[:port] with a DNS name, an IPv4 address or a bracketed IPv6 address, e.g. registry.k8s.io or 127.0.0.1:5000).";
        if (string.IsNullOrEmpty(text)) { error = Fail("it is empty"); return false; }
        if (text.Contains('@')) { error = Fail("it holds user-info ('@'); credentials belong in docker's config.json"); return false; }
        if (text.Contains("://", StringComparison.Ordinal)) { error = Fail("it holds a scheme"); return false; }
        if (text.IndexOfAny(['/', '?', '#', '\\']) >= 0 || text.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        { error = Fail("it holds a path, query, fragment or whitespace"); return false; }

        string name;
        string? portText = null;
        var isIPv6 = false;
        if (text.StartsWith('['))
        {
            var end = text.IndexOf(']');
            if (end < 0) { error = Fail("'[' without ']'"); return false; }
            name = text[1..end];
            if (!IPAddress.TryParse(name, out var v6) || v6.AddressFamily != AddressFamily.InterNetworkV6)
            { error = Fail($"'{name}' is not an IPv6 address"); return false; }
            name = v6.ToString();
            isIPv6 = true;
            var rest = text[(end + 1)..];
            if (rest.Length > 0)
            {
                if (!rest.StartsWith(':')) { error = Fail("only ':port' may follow ']'"); return false; }
                portText = rest[1..];
            }
        }
        else
        {
            var colon = text.IndexOf(':');
            if (colon >= 0)
            {
                if (text.IndexOf(':', colon + 1) >= 0) { error = Fail("an IPv6 address must be written in brackets"); return false; }
                portText = text[(colon + 1)..];
                name = text[..colon];
            }
            else
            {
                name = text;
            }
            name = name.ToLowerInvariant();
            if (!IsDnsName(name)) { error = Fail($"'{name}' is neither a DNS name nor an IPv4 address"); return false; }
        }

        int? port = null;
        if (portText is not null)
        {
            if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var p) || p is < 1 or > 65535)
            { error = Fail($"the port '{portText}' is not a number from 1 to 65535"); return false; }
            port = p;
        }
        var loopback = name == "localhost" || (IPAddress.TryParse(name, out var ip) && IPAddress.IsLoopback(ip));
        host = new RegistryHost(name, port, isIPv6, loopback);
        return true;
    }

    /// <summary>True when <paramref name="text"/> parses and is loopback; false for anything else (never throws).</summary>
    public static bool IsLoopbackHost(string text) => TryParse(text, out var host, out _) && host.IsLoopback;

    /// <summary>
    /// Replaces a user-info part (<c>user:secret@</c>) of <paramref name="text"/> with <c>***@</c>, so no error message
    /// or log line repeats a credential someone wrote into a registry name, a URL or a list of them: everything from the
    /// start (or after <c>scheme://</c>) to the last <c>@</c> that does not begin a digest (<c>name@sha256:...</c>) goes,
    /// whatever characters the secret holds.
    /// </summary>
    public static string Redact(string text)
    {
        var at = text.Length - 1;
        while ((at = text.LastIndexOf('@', at)) >= 0 && BeginsDigest(text, at)) at--;
        if (at < 0) return text;
        var schemeEnd = text.IndexOf("://", StringComparison.Ordinal);
        var start = schemeEnd >= 0 && schemeEnd < at ? schemeEnd + 3 : 0;
        return text[..start] + "***" + text[at..];
    }

    /// <summary>True when the <c>@</c> at <paramref name="at"/> is followed by <c>algorithm:</c> (a digest reference), e.g. <c>@sha256:</c>.</summary>
    private static bool BeginsDigest(string text, int at)
    {
        var colon = text.IndexOf(':', at + 1);
        return colon > at + 1 && text.AsSpan(at + 1, colon - at - 1) is var algorithm
            && algorithm.ToString() is "sha256" or "sha384" or "sha512";
    }

    /// <summary>DNS labels of letters, digits and '-' (not at either end), joined by '.'; an IPv4 dotted quad is one.</summary>
    private static bool IsDnsName(string name)
    {
        if (name.Length is 0 or > 253) return false;
        foreach (var label in name.Split('.'))
        {
            if (label.Length is 0 or > 63 || label.StartsWith('-') || label.EndsWith('-')) return false;
            if (!label.All(c => char.IsAsciiLetterOrDigit(c) || c == '-')) return false;
        }
        return true;
    }

    /// <inheritdoc />
    public override string ToString()
    {
        var name = IsIPv6 ? $"[{Name}]" : Name;
        return Port is { } port ? $"{name}:{port}" : name;
    }
}
