using System.Diagnostics;
using Promoter.Promotion.Engine;
using Promoter.Reporting;
using Promoter.Promotion;
using Promoter.Attachments;

namespace Promoter.E2E;

/// <summary>
/// Runs e2e tests in the upstream CIP way (manifests/README.md §4), one after another since they share
/// registries: empty every registry the test lists, seed the golden set, check the <c>before</c> snapshots, promote
/// with the test's invocation (<c>$PWD</c> replaced by the repository root; the runner adds <c>--confirm</c> as upstream's
/// driver adds <c>--dry-run=false</c>), check the <c>after</c> snapshots. The promotion is <see cref="PromotionPipeline"/>
/// with the invocation's policy (lost edges skipped with a warning unless it gives <c>--require-source</c>, as upstream's cases expect). A test with <c>expect-error</c> must
/// see its promotion fail (a refusal or a registry error) with that text.
/// </summary>
public sealed class E2ERunner(E2EOperations operations, string repositoryRoot, Action<string> log)
{
    private readonly Dictionary<string, (EcdsaKeySigner Signer, List<SourceSignature> Signatures, string PublicKeyFile)> _newSignatures =
        new(StringComparer.Ordinal);

    /// <summary>
    /// When true, the <c>attach</c> key's signatures are made anew with a P-256 key generated in memory for this run, and
    /// the fixture file and its public key are rewritten (the private key is never written); the expected snapshots then
    /// need the new <c>.sig</c>/<c>.att</c> digests, which a failing run prints.
    /// </summary>
    public bool NewTestSignatures { get; init; }

    /// <summary>Runs every test; a failing test does not stop the next.</summary>
    public async Task<IReadOnlyList<E2ECaseResult>> RunAsync(IReadOnlyList<E2ETest> tests, CancellationToken cancellationToken = default)
    {
        var results = new List<E2ECaseResult>();
        foreach (var test in tests)
        {
            var lines = new List<string>();
            var clock = Stopwatch.StartNew();
            void Say(string line) { lines.Add(line); log($"[{test.Name}] {clock.Elapsed.TotalSeconds,6:0.000}s {line}"); }
            string? failure;
            try
            {
                failure = await RunOneAsync(test, Say, cancellationToken);
            }
            catch (Exception exception) when (exception is PromoterException or FormatException)
            {
                // A case fails on what the library says went wrong; anything else is a bug and ends the run with its stack.
                failure = $"{exception.GetType().Name}: {exception.Message}";
            }
            Say(failure is null ? $"PASSED in {clock.Elapsed.TotalSeconds:0.00} s" : $"FAILED: {failure}");
            results.Add(new E2ECaseResult(test.Name, clock.Elapsed, failure, lines));
        }
        foreach (var (signer, _, _) in _newSignatures.Values) signer.Dispose();
        _newSignatures.Clear();
        return results;
    }

    private async Task<string?> RunOneAsync(E2ETest test, Action<string> say, CancellationToken cancellationToken)
    {
        var registries = test.Registries.Select(r => r.Name).ToList();
        await operations.Purge(registries, cancellationToken);
        say($"purged {string.Join(", ", registries)}");
        await operations.Seed(test, cancellationToken);
        say("seeded the golden set");
        if (test.Attach is { } attach) await AttachAsync(test, E2ETest.ResolvePath(attach, repositoryRoot), say, cancellationToken);

        if (await CheckAsync(test, s => s.Before, "before", say, cancellationToken) is { } beforeFailure)
            return beforeFailure;

        // $E2E_SIGNING_KEY: a P-256 key made for this case (PKCS#8 in a temporary folder, removed with the case): --sign's
        // signatures and promotion records are randomized and timestamped, so no committed key is needed or wanted.
        var invocation = test.InvocationFor(repositoryRoot);
        using var runKey = invocation.Any(a => a.Contains(E2ETest.SigningKeyPlaceholder, StringComparison.Ordinal)) ? RunSigningKey.Create() : null;
        if (runKey is not null)
        {
            invocation = invocation.Select(a => a.Replace(E2ETest.SigningKeyPlaceholder, runKey.PrivateKeyFile, StringComparison.Ordinal)).ToList();
            say($"made a signing key for this case ({runKey.Fingerprint}; public key {Path.GetFileName(runKey.PublicKeyFile)} for the audit)");
        }
        var prepared = operations.ParseInvocation([.. invocation, "--confirm"]);
        var policy = prepared.Policy with
        {
            Log = (level, line) =>
            {
                if (level == PromotionLogLevel.Warning) say($"warning: {line}");
                else if (level == PromotionLogLevel.Information) say(line);
            },
        };
        string? error = null;
        try
        {
            await new PromotionPipeline(operations.Pool, policy).RunAsync(prepared.Load, cancellationToken);
        }
        catch (Exception exception) when (exception is PromotionRefusedException or Registry.RegistryException)
        {
            error = exception.Message;
            say($"promotion failed: {FirstLine(error)}");
        }

        if (test.ExpectError is { } expected)
        {
            if (error is null) return $"the promotion succeeded, but the test expects an error containing '{expected}'";
            if (!error.Contains(expected, StringComparison.Ordinal))
                return $"the promotion failed with '{FirstLine(error)}', but the test expects '{expected}'";
            say($"the promotion failed as expected ('{expected}')");
        }
        else if (error is not null)
        {
            return $"promotion failed: {error}";
        }

        // The attachment audit runs first and whatever the snapshots hold, so a bad signature is named beside a snapshot diff. With a
        // signing key made for the case, what its signing made (promotion records, .sig manifests and referrers indexes that hold
        // them: new bytes every run) is the audit's to check, and the `after` compare leaves those digests out.
        var (auditFailure, runMade) = test.VerifySignatures is { } key
            ? await AuditAsync(test, E2ETest.ResolvePath(key, repositoryRoot), runKey?.PublicKeyFile, say, cancellationToken)
            : (null, new Dictionary<string, IReadOnlySet<string>>());
        var afterFailure = await CheckAsync(test, s => s.After, "after", say, cancellationToken, runMade);
        return afterFailure is null ? auditFailure : auditFailure is null ? afterFailure : afterFailure + "\n" + auditFailure;
    }

    /// <summary>A P-256 signing key made for one e2e case: its PKCS#8 private key and its public key in a temporary folder
    /// (owner-only), deleted when disposed. Only the public half outlives the case, in the log as a fingerprint.</summary>
    private sealed class RunSigningKey : IDisposable
    {
        private readonly string _folder;

        private RunSigningKey(string folder, string fingerprint)
        {
            _folder = folder;
            Fingerprint = fingerprint;
        }

        public string PrivateKeyFile => Path.Combine(_folder, "run-signing-key.pem");
        public string PublicKeyFile => Path.Combine(_folder, "run-signing-key.pub");
        public string Fingerprint { get; }

        public static RunSigningKey Create()
        {
            var folder = Directory.CreateTempSubdirectory("e2e-signing-").FullName;
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            using var key = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
            var made = new RunSigningKey(folder, SignatureVerifier.FromKey(key, "the case's signing key").Fingerprint);
            File.WriteAllText(made.PrivateKeyFile, key.ExportPkcs8PrivateKeyPem() + "\n");
            File.WriteAllText(made.PublicKeyFile, key.ExportSubjectPublicKeyInfoPem() + "\n");
            return made;
        }

        public void Dispose()
        {
            try { Directory.Delete(_folder, recursive: true); }
            catch (IOException) { }
        }
    }

    private async Task AttachAsync(E2ETest test, string fixturePath, Action<string> say, CancellationToken cancellationToken)
    {
        var source = test.Registries.Count > 0 ? test.Registries[0].Name
            : throw new FormatException($"e2e test '{test.Name}': '{E2ETestFile.AttachKey}' needs a registry to attach to (the first listed).");
        Func<string, Oci.Digest, SourceSignature> signatureFor;
        if (NewTestSignatures)
        {
            if (!_newSignatures.TryGetValue(fixturePath, out var fresh))
            {
                var key = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
                var publicKeyFile = File.Exists(fixturePath) ? SourceSignatureFixture.Load(fixturePath).PublicKeyFile : "test-only-cosign.pub";
                fresh = (new EcdsaKeySigner(key, "a key generated in memory"), [], publicKeyFile);
                _newSignatures[fixturePath] = fresh;
            }
            signatureFor = (reference, digest) =>
            {
                var existing = fresh.Signatures.FirstOrDefault(s => s.Digest == digest && s.Reference == reference);
                if (existing is not null) return existing;
                var made = SignedSource.Sign(reference, digest, fresh.Signer);
                fresh.Signatures.Add(made);
                return made;
            };
            var attachedNew = await SignedSource.AttachAsync(operations.Pool, source, signatureFor, cancellationToken);
            var folder = Path.GetDirectoryName(Path.GetFullPath(fixturePath))!;
            Directory.CreateDirectory(folder);
            // Only the public half is written; the private key lives in this process and is dropped with it.
            File.WriteAllText(Path.Combine(folder, fresh.PublicKeyFile), fresh.Signer.Verifier.PublicKeyPem() + "\n");
            new SourceSignatureFixture(fresh.PublicKeyFile, fresh.Signatures).Save(fixturePath);
            say($"attached a new test-only signature, attestation and SBOM referrer to {attachedNew.Count} digest(s) of {source}; rewrote {fixturePath} and {fresh.PublicKeyFile}");
            return;
        }
        var fixture = SourceSignatureFixture.Load(fixturePath);
        signatureFor = (reference, digest) => fixture.Find(reference, digest)
            ?? throw new FormatException($"{fixturePath}: no signature for {reference}@{digest} (the golden set changed?); " +
                                         "make new test-only signatures with ./build.sh --target E2E --e2e-new-test-signatures.");
        var attached = await SignedSource.AttachAsync(operations.Pool, source, signatureFor, cancellationToken);
        say($"attached a signature, an attestation and an SBOM referrer to {attached.Count} digest(s) of {source} (signatures from {Path.GetFileName(fixturePath)})");
    }

    private async Task<(string? Failure, Dictionary<string, IReadOnlySet<string>> RunMade)> AuditAsync(E2ETest test, string publicKeyFile,
        string? recordKeyFile, Action<string> say, CancellationToken cancellationToken)
    {
        var check = operations.CheckSignature
            ?? throw new FormatException($"e2e test '{test.Name}': '{E2ETestFile.VerifySignaturesKey}' needs an external signature check, and this run has none.");
        var failures = new List<string>();
        var runMade = new Dictionary<string, IReadOnlySet<string>>(StringComparer.Ordinal);
        foreach (var snapshot in test.Snapshots)
        {
            var actual = await operations.Snapshot(snapshot.Name, cancellationToken);
            var result = await AttachmentAudit.RunAsync(operations.Pool, snapshot.Name, actual, publicKeyFile, check, cancellationToken, recordKeyFile);
            say($"signatures {result}");
            if (result.TamperedRecordRejected is { } tampered) say($"a tampered promotion record of {tampered} fails openssl's check");
            runMade[snapshot.Name] = result.RunMade;
            if (!result.Passed)
                failures.Add($"attachments of {snapshot.Name}:\n  " + string.Join("\n  ", result.Problems.DefaultIfEmpty("nothing verified")));
        }
        return (failures.Count == 0 ? null : string.Join("\n", failures), runMade);
    }

    private async Task<string?> CheckAsync(E2ETest test, Func<E2ESnapshot, Snapshot> expected, string phase,
        Action<string> say, CancellationToken cancellationToken, IReadOnlyDictionary<string, IReadOnlySet<string>>? runMade = null)
    {
        var failures = new List<string>();
        // Snapshots are read at once (they only read), then reported in file order.
        var actuals = await Task.WhenAll(test.Snapshots.Select(s => operations.Snapshot(s.Name, cancellationToken)));
        foreach (var (snapshot, read) in test.Snapshots.Zip(actuals))
        {
            var actual = read;
            if (runMade?.GetValueOrDefault(snapshot.Name) is { Count: > 0 } masked)
            {
                actual = new Snapshot(read.Images.Select(i => i with { Dmap = i.Dmap.Where(d => !masked.Contains(d.Digest)).ToList() })
                    .Where(i => i.Dmap.Count > 0).ToList());
                say($"snapshot {phase} {snapshot.Name}: {masked.Count} digest(s) made by the case's signing key left to the audit");
            }
            var diff = SnapshotDiff.Compare(expected(snapshot), actual);
            if (diff.IsEmpty)
            {
                say($"snapshot {phase} {snapshot.Name}: {Count(actual)} digest(s), as expected");
                continue;
            }
            say($"snapshot {phase} {snapshot.Name}: MISMATCH");
            failures.Add($"snapshot {phase} {snapshot.Name} differs from the expectation:\n  " + string.Join("\n  ", diff.Lines)
                         + "\n  actual snapshot:\n    " + actual.ToText().TrimEnd('\n').Replace("\n", "\n    "));
        }
        return failures.Count == 0 ? null : string.Join("\n", failures);
    }

    private static int Count(Snapshot snapshot) => snapshot.Images.Sum(i => i.Dmap.Count);

    private static string FirstLine(string text) => text.Split('\n')[0];

    /// <summary>Writes <paramref name="results"/> as JUnit XML (one test case per e2e test) for Prow.</summary>
    public static void WriteJUnit(string path, string suite, IReadOnlyList<E2ECaseResult> results) =>
        JUnitXml.Write(path, suite, results.Select(r =>
            new JUnitCase("e2e", r.Name, r.Duration, r.Failure, Output: string.Join("\n", r.Log))).ToList());
}
