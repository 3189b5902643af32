using Build.Golden;
using Cake.Core;
using Cake.Core.Diagnostics;
using Promoter.Promotion;
using Promoter.Promotion.E2E;
using Promoter.Promotion.Engine;

namespace Build.Testing;

/// <summary>
/// One run of an e2e test file: serves every registry host the file names from a CNCF Distribution process started
/// for this run (so upstream's files, which name gcr.io hosts, run unchanged and can never reach a real registry),
/// then hands the tests to <see cref="E2ERunner"/> with purge, seed and snapshot wired to those registries. The golden set
/// is the one LoadTarballs loaded when it ran in the same run, else it is loaded here while the registries start.
/// </summary>
public sealed class E2ESession(BuildContext context)
{
    /// <summary>The e2e test file of <paramref name="context"/> (<c>--e2e-file</c>, default <c>manifests/e2e/tests.yaml</c>).</summary>
    public static string TestFileOf(BuildContext context) => context.Settings.E2E.TestFile;

    /// <summary>The e2e test file of this run.</summary>
    public string TestFile => TestFileOf(context);

    /// <summary>Runs the tests; throws when any failed, after writing <c>junit_e2e.xml</c> when ARTIFACTS is set.</summary>
    /// <exception cref="CakeException">The file is invalid, or a test failed (the message lists the failed tests).</exception>
    public void Run()
    {
        IReadOnlyList<E2ETest> tests;
        try { tests = E2ETestFile.Load(TestFile); }
        catch (ManifestException exception) { throw new CakeException(exception.Message); }
        context.Log.Information("e2e file {0}: {1} test(s), engine {2}", TestFile, tests.Count, context.Settings.EngineKind);

        var pool = context.Registries.Pool;
        var engine = GoldenEngines.For(context);
        // The registries start while the golden set is read and verified (or docker-loaded): neither needs the other.
        var serving = Task.Run(() => ServeHostsLocally(tests, pool));
        var golden = context.Golden ??= engine.Load(context, GoldenEngines.LoadSet(context));
        serving.GetAwaiter().GetResult();
        var allowed = tests.SelectMany(t => t.Registries.Select(r => r.Name)).ToHashSet(StringComparer.Ordinal);

        var purger = new RegistryPurger(pool, allowed, allowNonLoopback: false,
            log: line => context.Log.Verbose("purge: {0}", line));
        var operations = new E2EOperations(
            Purge: async (names, ct) =>
            {
                try { context.Log.Verbose("purged: {0}", await purger.PurgeAsync(names, ct)); }
                catch (PurgeRefusedException refused) { throw new CakeException(refused.Message); }
            },
            Seed: (test, _) =>
            {
                engine.Push(context, golden, SourceOf(test));
                return Task.CompletedTask;
            },
            Snapshot: (name, ct) => RegistrySnapshotter.TakeAsync(pool, name, ct),
            Pool: pool);

        var runner = new E2ERunner(operations, context.RepositoryRoot.FullPath, line => context.Log.Information(line));
        var results = runner.RunAsync(tests).GetAwaiter().GetResult();

        if (context.Artifacts is { } artifacts)
        {
            var junit = artifacts.CombineWithFilePath("junit_e2e.xml").FullPath;
            E2ERunner.WriteJUnit(junit, Path.GetFileNameWithoutExtension(TestFile), results);
            context.Log.Information("JUnit: {0}", junit);
        }

        var failed = results.Where(r => !r.Passed).ToList();
        // A plain line (no highlighted arguments): CI systems read "N passed, N failed" closing lines.
        var summary = $"E2E: {results.Count - failed.Count} passed, {failed.Count} failed";
        context.Log.Information(summary);
        if (failed.Count > 0)
            throw new CakeException(string.Join("\n", failed.Select(f => $"e2e test '{f.Name}' failed: {f.Failure}")));
    }

    /// <summary>The registry a test's golden set is pushed to: its first listed registry (upstream lists the staging one first).</summary>
    private static string SourceOf(E2ETest test) =>
        test.Registries.Count > 0 ? test.Registries[0].Name
            : throw new CakeException($"e2e test '{test.Name}' lists no registry to seed.");

    /// <summary>Starts one local registry per non-loopback host named by the file, aliases the host to it, and makes the pool hermetic.</summary>
    private void ServeHostsLocally(IReadOnlyList<E2ETest> tests, RegistryPool pool)
    {
        var names = tests.SelectMany(t => t.Registries.Select(r => r.Name).Concat(t.Snapshots.Select(s => s.Name)));
        var hosts = names.Select(n => RegistryPath.Parse(n).Host)
            .Where(h => !RegistryPool.IsLoopback(h))
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToList();
        foreach (var (host, endpoint) in hosts.Zip(context.Registries.StartLocal(hosts.Count)))
        {
            pool.Alias(host, endpoint);
            context.Log.Information("serving {0} from {1}", host, endpoint.Address);
        }
        pool.Hermetic = true;
    }
}
