// Runs a FaultProxy in front of a registry until SIGTERM or SIGINT.
// Usage: FaultProxy TARGET_HOST PORT_FILE LOG_FILE [--quota=N] [RULE...]
//   RULE: KIND:COUNT[:RETRY_AFTER_SECONDS[:date]]@PATTERN, KIND one of 429, 503, 500, reset, stall; e.g. '429:60:2@^' or 'reset:5@^HEAD'.
// Writes the port it listens on to PORT_FILE, then one line per request to LOG_FILE as it is answered:
// "SECONDS_SINCE_START METHOD PATH STATUS FAULT" (status 0 for a reset or a stalled body, fault '-' when forwarded).
using System.Globalization;
using System.Runtime.InteropServices;
using Promoter.Tests.Support;

if (args.Length < 3)
{
    Console.Error.WriteLine("usage: FaultProxy TARGET_HOST PORT_FILE LOG_FILE [--quota=N] [KIND:COUNT[:RETRY_AFTER[:date]]@PATTERN ...]");
    return 2;
}
using var log = new StreamWriter(args[2], append: false) { AutoFlush = true };
using var proxy = new FaultProxy(args[0]);
proxy.Seen = request =>
{
    lock (log)
        log.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{request.At.TotalSeconds:0.000000} {request.Method} {request.PathAndQuery} {request.Status} {(request.Fault is { } f ? f.ToString() : "-")}"));
};
foreach (var arg in args.Skip(3))
{
    if (arg.StartsWith("--quota=", StringComparison.Ordinal))
    {
        proxy.QuotaPerSecond = int.Parse(arg["--quota=".Length..], CultureInfo.InvariantCulture);
        continue;
    }
    var at = arg.IndexOf('@');
    if (at < 0) throw new ArgumentException($"rule '{arg}': expected KIND:COUNT[:RETRY_AFTER[:date]]@PATTERN");
    var parts = arg[..at].Split(':');
    var kind = parts[0] switch
    {
        "429" => FaultKind.TooManyRequests,
        "503" => FaultKind.ServiceUnavailable,
        "500" => FaultKind.InternalServerError,
        "reset" => FaultKind.Reset,
        "stall" => FaultKind.StallBody,
        _ => throw new ArgumentException($"rule '{arg}': unknown fault '{parts[0]}' (429, 503, 500, reset, stall)"),
    };
    TimeSpan? after = parts.Length > 2 ? TimeSpan.FromSeconds(int.Parse(parts[2], CultureInfo.InvariantCulture)) : null;
    proxy.Add(new FaultRule(arg[(at + 1)..], kind, int.Parse(parts[1], CultureInfo.InvariantCulture), after,
        parts.Length > 3 && parts[3] == "date", kind == FaultKind.StallBody ? after : null));
}
File.WriteAllText(args[1], proxy.Port.ToString(CultureInfo.InvariantCulture));
var stop = new TaskCompletionSource();
using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => { context.Cancel = true; stop.TrySetResult(); });
using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => { context.Cancel = true; stop.TrySetResult(); });
await stop.Task;
return 0;
