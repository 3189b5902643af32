using Build;
using Build.Host;
using Build.Settings;

Interruption.Install();
var exitCode = CakeHost.Create()
    .UseContext<BuildContext>()
    .UseLifetime<BuildLifetime>()
    .Run(args);

// Cake's help lists its own options; the build settings are this program's, declared in one place.
if (exitCode == 0 && args.Any(a => a is "--help" or "-h" or "-?" || a.StartsWith("--description", StringComparison.OrdinalIgnoreCase)
                                   || a.StartsWith("--showdescription", StringComparison.OrdinalIgnoreCase)))
{
    Console.Out.WriteLine();
    Console.Out.Write(BuildSettings.HelpText());
}
return Interruption.Finish(exitCode);
