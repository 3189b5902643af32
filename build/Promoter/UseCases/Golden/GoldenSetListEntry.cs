using Promoter.Oci;

namespace Promoter.Golden;

/// <summary>One entry of a golden manifest list.</summary>
/// <param name="Image">The <see cref="GoldenSetImage.Name"/> of the image.</param>
/// <param name="Platform">Platform to record in the list instead of the config's, or null.</param>
/// <param name="Line">Line of the entry in the YAML file.</param>
public sealed record GoldenSetListEntry(string Image, Platform? Platform, int Line);
