namespace Build.Settings;

/// <summary>PromoteOnCluster.</summary>
/// <param name="Folder">The rendered manifests folder, <c>manifests/k8s</c> (absolute).</param>
/// <param name="Environment">The environment whose <c>-sharded</c> overlay is applied, e.g. <c>staging</c>.</param>
/// <param name="Context">The kubeconfig context, or null for the current one.</param>
/// <param name="Timeout">How long to wait for the Job to complete or fail.</param>
public sealed record ClusterSettings(string Folder, string Environment, string? Context, TimeSpan Timeout);
