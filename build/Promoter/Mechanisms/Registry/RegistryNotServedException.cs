namespace Promoter.Registry;

/// <summary>A hermetic run was asked to contact a registry that none of its local registries serves; no request was made.</summary>
/// <param name="message">Names the registry host and the rule.</param>
public sealed class RegistryNotServedException(string message) : PromoterRefusalException(message);
