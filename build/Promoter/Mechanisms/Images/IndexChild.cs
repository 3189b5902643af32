using Promoter.Oci;

namespace Promoter.Images;

/// <summary>One child of an index: a pushed image and, when the index should record another platform than the image's
/// config declares (upstream annotates its s390x image, whose config says amd64), that platform.</summary>
/// <param name="Image">The child, pushed into the index's repository already.</param>
/// <param name="Platform">The platform the index records, or null for the image's own.</param>
public sealed record IndexChild(EngineImage Image, Platform? Platform = null);
