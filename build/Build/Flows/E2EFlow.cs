using Build.Settings;
using Build.Tools.OpenSsl;
using Promoter.Golden;
using Promoter.Images;
using Cake.Core;
using Cake.Core.Diagnostics;
using Promoter.Promotion.Engine;
using Promoter.E2E;
using Promoter.Registry;
using Promoter.Promotion.Registries;

namespace Build.Flows;

/// <summary>
/// One run of an e2e test file: serves every registry host the file names from a CNCF Distribution process started
/// for this run (so upstream's files, which name gcr.io hosts, run unchanged and can never reach a real registry),
/// then hands the tests to <see cref="E2ERunner"/> with purge, seed and snapshot wired to those registries. The golden set
/// is the one LoadTarballs loaded when it ran in the same run, else it is loaded here while the registries start.
/// </summary>
/// <param name="settings">The e2e test file.</param>
/// <param name="engine">The run's image engine (seeds the golden set).</param>
/// <param name="loaded">The golden set LoadTarballs loaded in this run, or null to load it here.</param>
/// <param name="registries">The run's registries (local ones are started here).</param>
/// <param name="goldenSettings">The golden set file, read when <paramref name="loaded"/> is null.</param>
/// <param name="log">Receives the run's lines.</param>
/// <param name="repositoryRoot">What <c>$PWD</c> in an invocation stands for.</param>
/// <param name="artifacts">Prow's <c>ARTIFACTS</c> folder for <c>junit_e2e.xml</c>, or null.</param>
/// <param name="openSsl">Verifies signatures for tests with <c>verify-signatures</c> (the openssl process, not the project's verifier).</param>
public sealed class E2EFlow(E2ESettings settings, IImageEngine engine, LoadedGolden? loaded, Registries registries,
    GoldenSettings goldenSettings, ICakeLog log, string repositoryRoot, string? artifacts, OpenSslTool openSsl)
{
    private readonly ICakeLog _log = log;

    /// <summary>The e2e test file of this run.</summary>
    public string TestFile => settings.TestFile;

    /// <summary>Runs the tests; throws when any failed, after writing <c>junit_e2e.xml</c> when ARTIFACTS is set.</summary>
    /// <exception cref="CakeException">The file is invalid, or a test failed (the message lists the failed tests).</exception>
    public void Run()
    {
        var tests = E2ETestFile.Load(TestFile);
        _log.Information("e2e file {0}: {1} test(s), engine {2}", TestFile, tests.Count, engine.Name);

        var pool = registries.Pool;
        // The registries start while the golden set is read and verified (or docker-loaded): neither needs the other.
        var serving = Task.Run(() => ServeHostsLocally(tests, pool));
        LoadedGolden golden;
        try
        {
            golden = loaded ?? GoldenFlow.Load(engine, goldenSettings, _log);
        }
        catch
        {
            // The load's failure is the one to report; the registries are stopped at teardown either way.
            try { serving.Wait(); } catch (AggregateException) { }
            throw;
        }
        serving.GetAwaiter().GetResult();
        var allowed = tests.SelectMany(t => t.Registries.Select(r => r.Name)).ToHashSet(StringComparer.Ordinal);

        var purger = new RegistryPurger(pool, allowed, allowNonLoopback: false,
            log: line => _log.Verbose("purge: {0}", line));
        var operations = new E2EOperations(
            Purge: async (names, ct) => _log.Verbose("purged: {0}", await purger.PurgeAsync(names, ct)),
            Seed: async (test, ct) =>
            {
                await GoldenPublisher.PushAsync(engine, golden, SourceOf(test), cancellationToken: ct);
            },
            Snapshot: (name, ct) => RegistrySnapshotter.TakeAsync(pool, name, ct),
            Pool: pool,
            ParseInvocation: words => PrepareInvocation(words, pool))
        {
            // One openssl process per signature; the tool is synchronous, so it runs off the caller's thread.
            CheckSignature = (key, data, signature, ct) => Task.Run(() => openSsl.VerifySha256(key, data, signature), ct),
        };

        var runner = new E2ERunner(operations, repositoryRoot, line => _log.Information(line)) { NewTestSignatures = settings.NewTestSignatures };
        var results = runner.RunAsync(tests).GetAwaiter().GetResult();

        if (artifacts is not null)
        {
            var junit = Path.Combine(artifacts, "junit_e2e.xml");
            E2ERunner.WriteJUnit(junit, Path.GetFileNameWithoutExtension(TestFile), results);
            _log.Information("JUnit: {0}", junit);
        }

        var failed = results.Where(r => !r.Passed).ToList();
        // A plain line (no highlighted arguments): CI systems read "N passed, N failed" closing lines.
        var summary = $"E2E: {results.Count - failed.Count} passed, {failed.Count} failed";
        _log.Information(summary);
        if (failed.Count > 0)
            throw new CakeException(string.Join("\n", failed.Select(f => $"e2e test '{f.Name}' failed: {f.Failure}")));
    }

    /// <summary>
    /// An e2e test's invocation, read by the build program's own setting reader (<see cref="InvocationParser"/>) and prepared
    /// as the Promote task prepares its command (<see cref="PromoteFlow.Prepare"/>); no environment variable reaches it.
    /// </summary>
    /// <exception cref="FormatException">The invocation is not a valid Promote command (the reader's message).</exception>
    private PreparedPromotion PrepareInvocation(IReadOnlyList<string> words, RegistryPool pool)
    {
        try
        {
            return PromoteFlow.Prepare(InvocationParser.Parse(words, repositoryRoot), pool, _log, artifacts: null, new Dictionary<string, string>());
        }
        catch (CakeException exception)
        {
            throw new FormatException(exception.Message, exception);
        }
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
        foreach (var (host, endpoint) in hosts.Zip(registries.StartLocal(hosts.Count)))
        {
            pool.Alias(host, endpoint);
            _log.Information("serving {0} from {1}", host, endpoint.Address);
        }
        pool.Hermetic = true;
    }
}
