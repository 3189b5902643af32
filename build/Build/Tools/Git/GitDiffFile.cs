using LibGit2Sharp;

namespace Build.Tools.Git;

// The results of the aliases in GitAliases.cs, shaped (names and members) as Cake.Git's types of the same names.

/// <summary>One path that differs between two commits (<see cref="GitAliases.GitDiff"/>).</summary>
/// <param name="Path">The path on the new side ('/'-separated, relative to the repository root).</param>
/// <param name="OldPath">The path on the old side (the same as <paramref name="Path"/>: renames are not detected).</param>
/// <param name="Status">What happened to the file.</param>
/// <param name="Exists">True when the file exists on the new side.</param>
/// <param name="OldExists">True when the file exists on the old side.</param>
public sealed record GitDiffFile(string Path, string OldPath, ChangeKind Status, bool Exists, bool OldExists);
