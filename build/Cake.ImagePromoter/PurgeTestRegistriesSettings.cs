namespace Cake.ImagePromoter;

/// <summary>Which registries <see cref="ImagePromoterAliases.PurgeTestRegistries"/> empties.</summary>
public sealed class PurgeTestRegistriesSettings : ImagePromoterSettings
{
    /// <summary>Only these destinations of the e2e file (each must be one it lists, never a source); empty for all of them.</summary>
    public ICollection<string> Only { get; set; } = new List<string>();

    /// <summary>Also purge registries that are not on loopback; refused by default.</summary>
    public bool AllowRemote { get; set; }
}
