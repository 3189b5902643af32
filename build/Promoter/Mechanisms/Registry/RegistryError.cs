namespace Promoter.Registry;

/// <summary>One error from a registry's JSON error body (OCI distribution-spec, "Error Codes").</summary>
/// <param name="Code">The error code, e.g. <c>NAME_UNKNOWN</c>, <c>MANIFEST_UNKNOWN</c>, <c>DIGEST_INVALID</c>.</param>
/// <param name="Message">The registry's human-readable message (may be empty).</param>
public sealed record RegistryError(string Code, string Message);
