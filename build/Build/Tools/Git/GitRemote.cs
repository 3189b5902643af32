namespace Build.Tools.Git;

// The results of the aliases in GitAliases.cs, shaped (names and members) as Cake.Git's types of the same names.

/// <summary>A configured remote (<see cref="GitAliases.GitRemotes"/>).</summary>
/// <param name="Name">The remote's name, e.g. <c>origin</c>.</param>
/// <param name="PushUrl">Where pushes go.</param>
/// <param name="Url">Where fetches come from.</param>
public sealed record GitRemote(string Name, string PushUrl, string Url);
