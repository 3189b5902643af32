using System.Globalization;
using Promoter.Promotion;
using Promoter.Yaml;

namespace Promoter.Promotion.Engine;

/// <summary>
/// What to promote and how, as given on a command line (the Promote task's arguments, or an e2e test's
/// <c>invocation</c>). Accepts upstream <c>cip run</c> flags: <c>--manifest=FILE</c>, <c>--thin-manifest-dir=DIR</c>,
/// <c>--dry-run=false</c>, <c>--threads=N</c>, <c>--confirm</c>; and this project's <c>--allow-tag-moves</c>,
/// <c>--isolate-edges</c> and <c>--require-source</c>. A kpromo flag this project does not implement is refused naming it
/// (<see cref="KpromoFlags"/>), never ignored.
/// </summary>
public sealed record PromotionRequest
{
    /// <summary>A single promoter manifest file, or null.</summary>
    public string? Manifest { get; init; }

    /// <summary>A thin-manifest directory, or null.</summary>
    public string? ThinManifestDirectory { get; init; }

    /// <summary>The flags' policy: <see cref="PromotionPolicy.Confirm"/> (false, a dry run, unless <c>--confirm</c> or
    /// <c>--dry-run=false</c>), <see cref="PromotionPolicy.AllowTagMoves"/>, <see cref="PromotionPolicy.Threads"/>.</summary>
    public PromotionPolicy Policy { get; init; } = new();

    /// <summary>Parses <c>--name=value</c> / <c>--name value</c> arguments.</summary>
    /// <exception cref="FormatException">An unknown flag, a kpromo flag not implemented here, a bad value, both or neither of
    /// --manifest and --thin-manifest-dir.</exception>
    public static PromotionRequest Parse(IReadOnlyList<string> arguments)
    {
        var request = new PromotionRequest();
        var signing = new SigningArguments();
        for (var i = 0; i < arguments.Count; i++)
        {
            var argument = arguments[i];
            if (!argument.StartsWith("--", StringComparison.Ordinal))
                throw new FormatException($"promotion argument '{argument}': expected --name=value.");
            var equals = argument.IndexOf('=');
            var name = (equals < 0 ? argument[2..] : argument[2..equals]).ToLowerInvariant();
            string? value = equals < 0 ? null : argument[(equals + 1)..];
            string Value()
            {
                if (value is not null) return value;
                if (i + 1 < arguments.Count && !arguments[i + 1].StartsWith("--", StringComparison.Ordinal)) return value = arguments[++i];
                throw new FormatException($"promotion argument --{name} needs a value.");
            }

            request = name switch
            {
                "manifest" => request with { Manifest = Value() },
                "thin-manifest-dir" => request with { ThinManifestDirectory = Value() },
                "confirm" => request with { Policy = request.Policy with { Confirm = value is null || Bool(name, value) } },
                "dry-run" => request with { Policy = request.Policy with { Confirm = !(value is null || Bool(name, value)) } },
                "allow-tag-moves" => request with { Policy = request.Policy with { AllowTagMoves = value is null || Bool(name, value) } },
                "threads" => request with { Policy = request.Policy with { Threads = Threads(Value()) } },
                "isolate-edges" => request with { Policy = request.Policy with { IsolateEdges = value is null || Bool(name, value) } },
                "verify-destination" => request with { Policy = request.Policy with { VerifyDestination = value is null || Bool(name, value) } },
                "require-source" => request with
                {
                    Policy = request.Policy with { LostEdges = value is null || Bool(name, value) ? LostEdgePolicy.Fail : LostEdgePolicy.WarnAndSkip },
                },
                _ when signing.Accept(name, value, Value) => request,
                _ when KpromoFlags.Refusal(name) is { } refusal => throw new FormatException($"promotion argument '{argument}': {refusal}"),
                _ => throw new FormatException(
                    $"promotion argument '{argument}' is unknown; expected --manifest, --thin-manifest-dir, --confirm, --dry-run, --threads, " +
                    $"--allow-tag-moves, --isolate-edges, --require-source, --verify-destination, {SigningArguments.Names}."),
            };
        }
        if ((request.Manifest is null) == (request.ThinManifestDirectory is null))
            throw new FormatException("a promotion needs exactly one of --manifest=FILE and --thin-manifest-dir=DIR.");
        return request with { Policy = signing.Apply(request.Policy) };
    }

    /// <summary>
    /// Loads the manifests the request names and computes their edges (with the overlap checks); an
    /// <see cref="EdgeLoader"/> for <see cref="PromotionPipeline.RunAsync"/>.
    /// </summary>
    /// <param name="warn">Receives the thin-directory warnings (subfolders without a manifest).</param>
    /// <exception cref="ManifestException">A manifest is invalid (errors give file, line and field).</exception>
    /// <remarks>Under <see cref="PromotionPolicy.IsolateEdges"/> overlapping edges do not fail the load: each overlap goes
    /// to <paramref name="warn"/> and its edges are kept for the planner to refuse.</remarks>
    public IReadOnlyList<PromotionEdge> LoadEdges(Action<string>? warn = null)
    {
        IReadOnlyList<PromoterManifest> manifests;
        if (Manifest is not null)
        {
            manifests = [ManifestReader.Load(Manifest)];
        }
        else
        {
            var set = ManifestReader.LoadThinDirectory(ThinManifestDirectory!);
            foreach (var warning in set.Warnings) warn?.Invoke(warning);
            manifests = set.Manifests;
        }
        return PromotionEdges.FromManifests(manifests, Policy.IsolateEdges ? line => warn?.Invoke(line) : null);
    }

    private static bool Bool(string name, string value) => value.ToLowerInvariant() switch
    {
        "true" or "1" => true,
        "false" or "0" => false,
        _ => throw new FormatException($"promotion argument --{name}: expected true or false, got '{value}'."),
    };

    private static int Threads(string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= 256
            ? n : throw new FormatException($"promotion argument --threads: expected a whole number from 1 to 256, got '{value}'.");
}
