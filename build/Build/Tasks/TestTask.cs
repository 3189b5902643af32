using Build.Host;
using Build.Reports;
using Cake.Common.IO;
using Cake.Common.Tools.DotNet;
using Cake.Common.Tools.DotNet.Test;
using Cake.Core.Diagnostics;

namespace Build.Tasks;

/// <summary>The <c>Test</c> task: runs the tests; with ARTIFACTS set (as Prow sets it) writes junit_*.xml there.</summary>
[TaskName("Test")]
[IsDependentOn(typeof(CompileTask))]
[TaskDescription("Runs the tests; with ARTIFACTS set (as Prow sets it) writes junit_*.xml there.")]
public sealed class TestTask : FrostingTask<BuildContext>
{
    /// <inheritdoc />
    public override void Run(BuildContext context)
    {
        var results = context.RepositoryRoot.Combine(".build/test-results");
        context.CleanDirectory(results);
        var settings = new DotNetTestSettings
        {
            Configuration = context.Settings.Compile.Configuration,
            NoBuild = true,
            NoRestore = true,
            ResultsDirectory = results,
            Loggers = ["trx"],
        };
        try
        {
            context.DotNetTest(context.Solution.FullPath, settings);
        }
        finally
        {
            var passed = 0;
            var failed = 0;
            foreach (var file in context.GetFiles(results.FullPath + "/**/*.trx"))
            {
                var trx = TrxRun.Load(file.FullPath);
                passed += trx.Passed;
                failed += trx.Failed;
                if (context.Artifacts is not { } artifacts || trx.AssemblyName is not { } suite) continue;
                var target = artifacts.CombineWithFilePath($"junit_{SafeName(suite)}.xml");
                var count = trx.WriteJUnit(target.FullPath, suite);
                context.Log.Information("JUnit: {0} ({1} cases)", target.FullPath, count);
            }
            // Plain text on purpose (no log colouring): CI systems read this closing line.
            Console.Out.WriteLine($"Tests: {passed} passed, {failed} failed");
        }
    }

    private static string SafeName(string name) =>
        new(name.Select(c => char.IsLetterOrDigit(c) || c is '-' or '.' ? c : '_').ToArray());
}
