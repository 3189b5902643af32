using Cake.Core.IO;

namespace Build.Host;

/// <summary>The working directory chosen by <c>UseWorkingDirectory</c> (overridden by <c>--working</c>).</summary>
internal sealed record WorkingDirectorySetting(DirectoryPath Path);
