namespace Build.Host;

/// <summary>A Cake configuration value given with <c>UseCakeSetting</c> (lowest precedence).</summary>
internal sealed record CakeSetting(string Key, string Value);
