// A build.cake that uses the packaged addin: run from the repository root after `./build.sh --target Pack`:
//   dotnet tool restore && dotnet cake samples/cake-script/build.cake
// The package comes from the folder feed .build/packages (samples/nuget.config, found as cake.config says).
// registries (CNCF Distribution), pushes the golden set into the first, promotes it into the second with
// PromoteImages, and checks every promoted tag with skopeo.
#addin nuget:?package=Cake.ImagePromoter&version=0.1.0&loaddependencies=true

using Promoter.Registry;

var golden = File("../../images/golden/golden.yaml");    // relative to this script's folder, Cake's working directory
var registries = new List<LocalRegistry>();
string source = null, destination = null;
Snapshot staged = null;

Setup(_ =>
{
    registries.Add(LocalRegistry.StartAsync().GetAwaiter().GetResult());
    registries.Add(LocalRegistry.StartAsync().GetAwaiter().GetResult());
    source = $"{registries[0].Host}/staging";
    destination = $"{registries[1].Host}/prod";
    Information("source {0}, destination {1}", source, destination);
});
Teardown(_ => registries.ForEach(r => r.Dispose()));

Task("Push").Does(() =>
{
    PushGoldenImages(golden, source);
    var settings = new SnapshotRegistrySettings();
    settings.RegistryStorage[registries[0].Host] = registries[0].StorageRoot;   // so tagless digests are listed too
    staged = SnapshotRegistry(source, settings);
});

Task("Promote").IsDependentOn("Push").Does(() =>
{
    var manifest = File(System.IO.Path.Combine(registries[0].Folder, "promoter-manifest.yaml"));
    System.IO.File.WriteAllText(manifest.Path.FullPath,
        $"registries:\n- name: {source}\n  src: true\n- name: {destination}\nimages:\n{staged.ToText()}");
    var dryRun = PromoteImages(manifest, new PromoteImagesSettings());
    Information("dry run: {0}", dryRun);
    var result = PromoteImages(manifest, new PromoteImagesSettings { Confirm = true, Threads = 4 });
    Information("promoted: {0}", result);
    if (result.Promoted == 0 || result.Refused.Count > 0) throw new CakeException("nothing was promoted");
});

Task("Check").IsDependentOn("Promote").Does(() =>
{
    // Every digest by digest, and every tag: skopeo must find the digest the source holds.
    var references = new List<(string Reference, string Digest)>();
    foreach (var image in staged.Images)
        foreach (var entry in image.Dmap)
        {
            references.Add(($"{destination}/{image.Name}@{entry.Digest}", entry.Digest));
            references.AddRange(entry.Tags.Select(tag => ($"{destination}/{image.Name}:{tag}", entry.Digest)));
        }
    foreach (var (reference, digest) in references)
    {
        var exit = StartProcess("skopeo", new ProcessSettings
        {
            Arguments = $"inspect --tls-verify=false --format {{{{.Digest}}}} docker://{reference}",
            RedirectStandardOutput = true,
        }, out var output);
        var served = string.Join("", output).Trim();
        if (exit != 0 || served != digest) throw new CakeException($"skopeo inspect {reference}: exit {exit}, digest '{served}', expected {digest}");
        Information("skopeo: {0} is {1}", reference, served);
    }
    Information("checked {0} promoted reference(s) with skopeo", references.Count);
});

Task("Default").IsDependentOn("Check");

RunTarget(Argument("target", "Default"));
