namespace Build.Kubernetes;

/// <summary>One entry of <c>images:</c>: containers whose image is <see cref="Name"/> get <see cref="NewName"/> and <see cref="Digest"/>.</summary>
public sealed class KustomizeImage
{
    /// <summary>The image name to match (without tag or digest).</summary>
    public string? Name { get; set; }

    /// <summary>The replacement name, or null to keep the name.</summary>
    public string? NewName { get; set; }

    /// <summary>The replacement digest, <c>sha256:</c> and 64 hex digits.</summary>
    public string? Digest { get; set; }
}
