using Promoter.Oci;

namespace Promoter.Images;

/// <summary>One reference a push wrote (or found already in place), with the digest it resolves to.</summary>
/// <param name="Reference">e.g. <c>127.0.0.1:5000/k8s-staging-cip-test/library/foo:1.0</c>, or <c>...@sha256:…</c> for a tagless image.</param>
/// <param name="Digest">The manifest digest.</param>
/// <param name="MediaType">The manifest media type.</param>
public sealed record PushedReference(string Reference, Digest Digest, string MediaType);
