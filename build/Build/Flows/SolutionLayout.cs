namespace Build.Flows;

/// <summary>The solution's projects and what Restore and Compile read and write (paths relative to the repository root).</summary>
public static class SolutionLayout
{
    /// <summary>The solution file.</summary>
    public const string Solution = "Promoter.slnx";

    /// <summary>Each project's folder and assembly name.</summary>
    public static readonly IReadOnlyList<(string Folder, string Assembly)> Projects =
    [
        ("build/Promoter", "Promoter"), ("build/Cake.ImagePromoter", "Cake.ImagePromoter"), ("build/Build", "Build"), ("tests/Promoter.Tests", "Promoter.Tests"), ("tests/Build.Tests", "Build.Tests"),
    ];

    /// <summary>What a restore reads: the solution, the SDK pin, package versions and the project files.</summary>
    public static IReadOnlyList<string> RestoreInputs =>
    [
        Solution, "global.json", "Directory.Build.props", "Directory.Packages.props", "build/CakeReferences.props", "build/Package.props",
        .. Projects.Select(p => $"{p.Folder}/{p.Assembly}.csproj"),
    ];

    /// <summary>What a restore writes: each project's <c>obj/project.assets.json</c>.</summary>
    public static IReadOnlyList<string> RestoreOutputs => Projects.Select(p => $"{p.Folder}/obj/project.assets.json").ToList();

    /// <summary>The folders and files the solution is compiled from (<c>VERSION</c> is every assembly's version).</summary>
    public static IReadOnlyList<string> CompileInputs =>
        ["build", "tests", Solution, "global.json", "Directory.Build.props", "Directory.Packages.props", "VERSION"];

    /// <summary>What a compile in <paramref name="configuration"/> writes: each project's assembly under <c>bin/</c>.</summary>
    public static IReadOnlyList<string> CompileOutputs(string configuration) =>
        Projects.Select(p => $"{p.Folder}/bin/{configuration}/net10.0/{p.Assembly}.dll").ToList();
}
