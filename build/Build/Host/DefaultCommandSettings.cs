using System.ComponentModel;
using Cake.Cli;
using Cake.Core.Diagnostics;
using Cake.Core.IO;
using Spectre.Console.Cli;

namespace Build.Host;

/// <summary>The options a Frosting build program understands; every other option reaches the context's arguments.</summary>
public sealed class DefaultCommandSettings : CommandSettings
{
    /// <summary>The targets to run (repeatable); <c>Default</c> when none is given.</summary>
    [CommandOption("-t|--target <TARGET>")]
    [Description("Target task to run (repeatable). Default: Default.")]
    public string[] Targets { get; set; } = [];

    /// <summary>quiet, minimal, normal, verbose or diagnostic (q/m/n/v/d).</summary>
    [CommandOption("-v|--verbosity <VERBOSITY>")]
    [Description("quiet, minimal, normal, verbose or diagnostic.")]
    [TypeConverter(typeof(VerbosityConverter))]
    [DefaultValue(Verbosity.Normal)]
    public Verbosity Verbosity { get; set; } = Verbosity.Normal;

    /// <summary>List the tasks that would run, in order, and run none.</summary>
    [CommandOption("--dryrun|--noop|--whatif")]
    [Description("Print the tasks that would run, in order; run none.")]
    public bool DryRun { get; set; }

    /// <summary>Run the target alone, without its dependencies.</summary>
    [CommandOption("-e|--exclusive")]
    [Description("Run the target only, without its dependencies.")]
    public bool Exclusive { get; set; }

    /// <summary>Print the dependency tree.</summary>
    [CommandOption("--tree|--showtree")]
    [Description("Print the task dependency tree.")]
    public bool Tree { get; set; }

    /// <summary>Print the task descriptions.</summary>
    [CommandOption("--description|--descriptions|--showdescription|--showdescriptions")]
    [Description("Print every task with its description.")]
    public bool Description { get; set; }

    /// <summary>The working directory (overrides <c>UseWorkingDirectory</c>).</summary>
    [CommandOption("-w|--working <PATH>")]
    [Description("Working directory.")]
    [TypeConverter(typeof(Cake.Cli.DirectoryPathConverter))]
    public DirectoryPath? WorkingDirectory { get; set; }

    /// <summary>Print the version and exit.</summary>
    [CommandOption("--version|--ver")]
    [Description("Print the version and exit.")]
    public bool Version { get; set; }

    /// <summary>Print version information about the engine and exit.</summary>
    [CommandOption("--info")]
    [Description("Print engine information and exit.")]
    public bool Info { get; set; }
}
