using Cake.Core;
using Cake.Core.Annotations;

namespace Build.Tools.Docker;

/// <summary>Cake aliases for the docker commands the golden-image and release flows use (KEP-2818's flow).</summary>
[CakeAliasCategory("Docker")]
public static class DockerAliases
{
    private static DockerTool Tool(ICakeContext context) =>
        new(context.FileSystem, context.Environment, context.ProcessRunner, context.Tools, context.Log);

    /// <summary><c>docker load --quiet --input &lt;archive&gt;</c>; returns the loaded image names (<c>Loaded image: X</c> lines).</summary>
    [CakeMethodAlias]
    public static IReadOnlyList<string> DockerLoad(this ICakeContext context, string archive, DockerSettings? settings = null) =>
        Tool(context).Run("load", settings ?? new(), a => a.Append("--quiet").Append("--input").AppendQuoted(archive))
            .Select(line => line.Trim())
            .Where(line => line.StartsWith("Loaded image", StringComparison.Ordinal))
            .Select(line => line[(line.IndexOf(':') + 1)..].Trim())
            .ToList();

    /// <summary><c>docker tag &lt;source&gt; &lt;target&gt;</c>.</summary>
    [CakeMethodAlias]
    public static void DockerTag(this ICakeContext context, string source, string target, DockerSettings? settings = null) =>
        Tool(context).Run("tag", settings ?? new(), a => a.AppendQuoted(source).AppendQuoted(target));

    /// <summary><c>docker push --quiet &lt;reference&gt;</c>.</summary>
    /// <exception cref="ArgumentException">The reference is empty.</exception>
    [CakeMethodAlias]
    public static void DockerPush(this ICakeContext context, string reference, DockerSettings? settings = null)
    {
        if (string.IsNullOrWhiteSpace(reference)) throw new ArgumentException("docker push needs an image reference.", nameof(reference));
        Tool(context).Run("push", settings ?? new(), a => a.Append("--quiet").AppendQuoted(reference));
    }

    /// <summary><c>docker rmi --force &lt;references&gt;</c>, ignoring images that are not there.</summary>
    [CakeMethodAlias]
    public static void DockerRemoveImages(this ICakeContext context, IEnumerable<string> references, DockerSettings? settings = null)
    {
        var list = references.ToList();
        if (list.Count == 0) return;
        var s = settings ?? new();
        s.HandleExitCode = _ => true;
        Tool(context).Run("rmi", s, a => { a.Append("--force"); foreach (var r in list) a.AppendQuoted(r); });
    }

    /// <summary><c>docker manifest rm &lt;list&gt;</c> (the local manifest-list cache), ignoring a missing one.</summary>
    [CakeMethodAlias]
    public static void DockerManifestRemove(this ICakeContext context, string list, DockerSettings? settings = null)
    {
        var s = settings ?? new();
        s.HandleExitCode = _ => true;
        Tool(context).Run("manifest rm", s, a => a.AppendQuoted(list));
    }

    /// <summary><c>docker manifest create [--insecure] &lt;list&gt; &lt;images...&gt;</c>.</summary>
    [CakeMethodAlias]
    public static void DockerManifestCreate(this ICakeContext context, string list, IEnumerable<string> images, bool insecure, DockerSettings? settings = null) =>
        Tool(context).Run("manifest create", settings ?? new(), a =>
        {
            if (insecure) a.Append("--insecure");
            a.AppendQuoted(list);
            foreach (var image in images) a.AppendQuoted(image);
        });

    /// <summary><c>docker manifest annotate [--os O] [--arch A] [--variant V] &lt;list&gt; &lt;image&gt;</c>.</summary>
    [CakeMethodAlias]
    public static void DockerManifestAnnotate(this ICakeContext context, string list, string image, string? os, string? arch, string? variant, DockerSettings? settings = null) =>
        Tool(context).Run("manifest annotate", settings ?? new(), a =>
        {
            if (os is not null) a.Append("--os").AppendQuoted(os);
            if (arch is not null) a.Append("--arch").AppendQuoted(arch);
            if (variant is not null) a.Append("--variant").AppendQuoted(variant);
            a.AppendQuoted(list).AppendQuoted(image);
        });

    /// <summary><c>docker manifest push [--insecure] --purge &lt;list&gt;</c>; returns the pushed list's digest.</summary>
    [CakeMethodAlias]
    public static string DockerManifestPush(this ICakeContext context, string list, bool insecure, DockerSettings? settings = null) =>
        Tool(context).Run("manifest push", settings ?? new(), a =>
        {
            if (insecure) a.Append("--insecure");
            a.Append("--purge").AppendQuoted(list);
        }).LastOrDefault(l => l.StartsWith("sha256:", StringComparison.Ordinal))?.Trim() ?? "";

    /// <summary><c>docker build [--platform P] --tag T... [--file F] &lt;context&gt;</c>.</summary>
    [CakeMethodAlias]
    public static void DockerBuild(this ICakeContext context, string buildContext, IEnumerable<string> tags, string? dockerfile = null, string? platform = null, DockerSettings? settings = null) =>
        Tool(context).Run("build", settings ?? new(), a =>
        {
            if (platform is not null) a.Append("--platform").AppendQuoted(platform);
            foreach (var tag in tags) a.Append("--tag").AppendQuoted(tag);
            if (dockerfile is not null) a.Append("--file").AppendQuoted(dockerfile);
            a.AppendQuoted(buildContext);
        });
}
