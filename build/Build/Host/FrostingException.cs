namespace Build.Host;

/// <summary>A mistake in how the build program wires its tasks (not a task failure).</summary>
public sealed class FrostingException(string message) : Exception(message);
