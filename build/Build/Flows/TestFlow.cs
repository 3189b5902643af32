using Cake.Common.IO;
using Cake.Common.Tools.DotNet;
using Cake.Common.Tools.DotNet.Test;
using Cake.Core;
using Cake.Core.Diagnostics;
using Cake.Core.IO;
using Promoter.Reporting;

namespace Build.Flows;

/// <summary>The Test task's work: <c>dotnet test</c> with TRX results, their counts, and JUnit files for Prow.</summary>
public static class TestFlow
{
    /// <summary>
    /// Runs the tests of <paramref name="solution"/> (built already) with a TRX logger into <paramref name="results"/>,
    /// then, whatever the outcome, prints <c>Tests: N passed, N failed, N skipped</c> with each skip reason and the tests it
    /// skipped (<see cref="TrxRun.Summary"/>) and, when <paramref name="artifacts"/> is set,
    /// writes <c>junit_&lt;assembly&gt;.xml</c> there per test assembly.
    /// </summary>
    /// <param name="cake">Runs the .NET CLI.</param>
    /// <param name="solution">The solution file.</param>
    /// <param name="configuration">The MSBuild configuration it was built in.</param>
    /// <param name="results">The TRX folder (emptied first).</param>
    /// <param name="artifacts">Prow's <c>ARTIFACTS</c> folder, or null.</param>
    /// <param name="filter">A <c>dotnet test --filter</c> expression (<c>--test-filter</c>), or null for every test.</param>
    /// <exception cref="CakeException">A test failed (the .NET CLI's exit code).</exception>
    public static void Run(ICakeContext cake, FilePath solution, string configuration, DirectoryPath results, DirectoryPath? artifacts, string? filter = null)
    {
        cake.CleanDirectory(results);
        var settings = new DotNetTestSettings
        {
            Configuration = configuration,
            NoBuild = true,
            NoRestore = true,
            ResultsDirectory = results,
            Loggers = ["trx"],
            Filter = filter,
        };
        try
        {
            cake.DotNetTest(solution.FullPath, settings);
        }
        finally
        {
            var passed = 0;
            var failed = 0;
            var skipped = new List<SkippedTest>();
            foreach (var file in cake.GetFiles(results.FullPath + "/**/*.trx"))
            {
                TrxRun trx;
                // A report that cannot be read must not hide the test run's own outcome (this runs in a finally).
                try { trx = TrxRun.Load(file.FullPath); }
                catch (Exception exception) when (exception is IOException or System.Xml.XmlException or FormatException or InvalidOperationException)
                {
                    cake.Log.Warning("{0}: not a readable TRX report ({1}); its counts are left out", file.FullPath, exception.Message);
                    continue;
                }
                passed += trx.Passed;
                failed += trx.Failed;
                skipped.AddRange(trx.Skipped);
                if (artifacts is null || trx.AssemblyName is not { } suite) continue;
                var target = artifacts.CombineWithFilePath($"junit_{SafeName(suite)}.xml");
                var count = trx.WriteJUnit(target.FullPath, suite);
                cake.Log.Information("JUnit: {0} ({1} cases)", target.FullPath, count);
            }
            // Plain text on purpose (no log colouring): CI systems read this closing line.
            Console.Out.WriteLine(TrxRun.Summary(passed, failed, skipped));
        }
    }

    private static string SafeName(string name) =>
        new(name.Select(c => char.IsLetterOrDigit(c) || c is '-' or '.' ? c : '_').ToArray());
}
