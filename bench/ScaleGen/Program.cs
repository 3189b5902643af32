// Usage: dotnet run --project bench/ScaleGen -c Release -- HOST PREFIX N TAGS OUT [attachments]
// With `attachments`, each image (or index) also gets a cosign signature (sha256-<hex>.sig, one simple-signing layer
// signed with a P-256 key made for the run) and an attestation (sha256-<hex>.att, one small DSSE-like layer).
// Pushes N images into HOST (repositories PREFIX/img-00000 ...), each of a shared 2 MiB base layer (uploaded once,
// mounted into the other repositories), a small layer of its own and a config; every 20th image is an OCI index over
// it and an arm64 sibling. Each image (or index) gets TAGS tags v1..vTAGS. Writes the promoter manifest's `images:`
// section to OUT and the repository/tag list `skopeo sync --src yaml` wants to OUT.skopeo.
// `ScaleGen heads ...` is the registry-capacity probe instead (HeadLoad.cs), `ScaleGen writes ...` the write bound of a
// cold promotion (WriteLoad.cs).
using System.Text;
using Promoter.Oci;
using Promoter.Registry;

if (args.Length > 0 && args[0] == "heads") return await HeadLoad.RunAsync(args[1..]);
if (args.Length > 0 && args[0] == "writes") return await WriteLoad.RunAsync(args[1..]);

var (host, prefix, count, tags, output) = (args[0], args[1], int.Parse(args[2]), int.Parse(args[3]), args[4]);
var attachments = args.Length > 5 && args[5] == "attachments";
using var signer = new Promoter.Attachments.EcdsaKeySigner(System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256), "bench key");
using var client = new RegistryClient(host, new RegistryClientOptions { Insecure = true });
var baseLayer = new byte[2 * 1024 * 1024];
new Random(42).NextBytes(baseLayer);
var baseDigest = Digest.Of(baseLayer);
var first = $"{prefix}/img-{0:D5}";
await client.UploadBlobAsync(first, baseDigest, baseLayer);

var pushed = new (string Repository, Digest Digest)[count];
await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
{
    var repository = $"{prefix}/img-{i:D5}";
    if (i > 0 && !await client.MountBlobAsync(repository, baseDigest, first, ct))
        await client.UploadBlobAsync(repository, baseDigest, baseLayer, ct);
    var (amd64, amd64Bytes) = await PushImageAsync(repository, i, "amd64", ct);
    var (digest, bytes, mediaType) = (amd64, amd64Bytes, MediaTypes.OciManifest);
    if (i % 20 == 0)
    {
        var (arm64, arm64Bytes) = await PushImageAsync(repository, i, "arm64", ct);
        var index = Encoding.UTF8.GetBytes($$$"""
            {"schemaVersion":2,"mediaType":"{{{MediaTypes.OciIndex}}}","manifests":[
             {"mediaType":"{{{MediaTypes.OciManifest}}}","digest":"{{{amd64}}}","size":{{{amd64Bytes.Length}}},"platform":{"architecture":"amd64","os":"linux"}},
             {"mediaType":"{{{MediaTypes.OciManifest}}}","digest":"{{{arm64}}}","size":{{{arm64Bytes.Length}}},"platform":{"architecture":"arm64","os":"linux"}}]}
            """);
        (digest, bytes, mediaType) = (await client.PutManifestAsync(repository, Digest.Of(index).Value, index, MediaTypes.OciIndex, ct), index, MediaTypes.OciIndex);
    }
    for (var t = 1; t <= tags; t++)
        await client.PutManifestAsync(repository, $"v{t}", bytes, mediaType, ct);
    pushed[i] = (repository, digest);
    if (attachments)
    {
        var payload = new Promoter.Attachments.SimpleSigningPayload($"{host}/{repository}", digest).ToBytes();
        await PushAttachmentAsync(repository, Promoter.Attachments.AttachmentTags.For(digest, Promoter.Attachments.AttachmentKind.Signature),
            Promoter.Attachments.AttachmentManifests.Layer(Promoter.Attachments.AttachmentManifests.SimpleSigningMediaType, payload,
                new Dictionary<string, string> { [Promoter.Attachments.AttachmentManifests.SignatureAnnotation] = signer.Sign(payload) }), payload, ct);
        var envelope = Encoding.UTF8.GetBytes($$"""{"payloadType":"application/vnd.in-toto+json","payload":"{{Convert.ToBase64String(Encoding.UTF8.GetBytes(digest.Value))}}","signatures":[]}""");
        await PushAttachmentAsync(repository, Promoter.Attachments.AttachmentTags.For(digest, Promoter.Attachments.AttachmentKind.Attestation),
            Promoter.Attachments.AttachmentManifests.Layer("application/vnd.dsse.envelope.v1+json", envelope,
                new Dictionary<string, string> { ["predicateType"] = "https://slsa.dev/provenance/v0.2" }), envelope, ct);
    }
});

var tagList = string.Join(", ", Enumerable.Range(1, tags).Select(t => $"\"v{t}\""));
var manifest = new StringBuilder("images:\n");
var skopeo = new StringBuilder();
foreach (var (repository, digest) in pushed)
{
    manifest.Append($"- name: {repository[(prefix.Length + 1)..]}\n  dmap:\n    \"{digest}\": [{tagList}]\n");
    skopeo.Append($"      {repository}: [{tagList}]\n");
}
await File.WriteAllTextAsync(output, manifest.ToString());
await File.WriteAllTextAsync(output + ".skopeo", skopeo.ToString());
Console.WriteLine($"pushed {count} image(s) into {host}/{prefix}, {count / 20 + (count % 20 > 0 ? 1 : 0)} of them manifest lists, {tags} tag(s) each");
return 0;

// One image: config and small layer of image i for the architecture, over the shared base layer; returns its digest and bytes.
async Task<(Digest Digest, byte[] Bytes)> PushImageAsync(string repository, int i, string architecture, CancellationToken ct)
{
    var config = Encoding.UTF8.GetBytes($$$"""{"architecture":"{{{architecture}}}","os":"linux","config":{"Labels":{"image":"{{{i}}}"}},"rootfs":{"type":"layers","diff_ids":[]}}""");
    var layer = Encoding.UTF8.GetBytes($"image {i} {architecture}\n");
    await client.UploadBlobAsync(repository, Digest.Of(config), config, ct);
    await client.UploadBlobAsync(repository, Digest.Of(layer), layer, ct);
    var manifest = Encoding.UTF8.GetBytes($$"""
        {"schemaVersion":2,"mediaType":"{{MediaTypes.OciManifest}}",
         "config":{"mediaType":"{{MediaTypes.OciConfig}}","digest":"{{Digest.Of(config)}}","size":{{config.Length}}},
         "layers":[{"mediaType":"{{MediaTypes.OciLayerTar}}","digest":"{{baseDigest}}","size":{{baseLayer.Length}}},
                   {"mediaType":"{{MediaTypes.OciLayerTar}}","digest":"{{Digest.Of(layer)}}","size":{{layer.Length}}}]}
        """);
    return (await client.PutManifestAsync(repository, Digest.Of(manifest).Value, manifest, MediaTypes.OciManifest, ct), manifest);
}

// One cosign-style attachment manifest with a single layer, under its tag.
async Task PushAttachmentAsync(string repository, string tag, Promoter.Attachments.AttachmentLayer layer, byte[] blob, CancellationToken ct)
{
    await client.UploadBlobAsync(repository, layer.Digest, blob, ct);
    var built = Promoter.Attachments.AttachmentManifests.BuildLayered([layer]);
    await client.UploadBlobAsync(repository, built.ConfigDigest!.Value, built.Config, ct);
    await client.PutManifestAsync(repository, tag, built.Manifest.Bytes, built.Manifest.MediaType, ct);
}
