namespace Build.Tools.Kubectl;

/// <summary>What a kubectl command ended with.</summary>
/// <param name="ExitCode">kubectl's exit code.</param>
/// <param name="Output">Standard output, lines joined with <c>\n</c>, with a final <c>\n</c> when kubectl wrote one.</param>
/// <param name="Error">Standard error, trimmed.</param>
public sealed record KubectlResult(int ExitCode, string Output, string Error);
