namespace Build.Tools.Git;

// The results of the aliases in GitAliases.cs, shaped (names and members) as Cake.Git's types of the same names.

/// <summary>An author or committer of a commit.</summary>
/// <param name="Email">The e-mail address.</param>
/// <param name="Name">The name.</param>
/// <param name="When">The time, with its offset.</param>
public sealed record GitSignature(string Email, string Name, DateTimeOffset When);
