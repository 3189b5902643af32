using Cake.Core.Tooling;

namespace Build.Tools.Git;

/// <summary>
/// Settings of the <c>git</c> CLI wrapper. <see cref="ToolSettings.WorkingDirectory"/> is the repository
/// (the Cake working directory when unset); <see cref="ToolSettings.ToolPath"/> overrides where git is found.
/// </summary>
public sealed class GitSettings : ToolSettings
{
}
