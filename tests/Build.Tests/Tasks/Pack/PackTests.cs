using System.IO.Compression;
using System.Reflection;
using System.Text.Json;
using System.Xml.Linq;
using Build.Tests.Harness;
using Cake.Core.Annotations;
using Cake.ImagePromoter;
using FluentAssertions;
using Xunit;

namespace Build.Tests.Tasks.Pack;

/// <summary>
/// The Pack task and what it packs: the library (ImagePromoter.Core) and the Cake addin (Cake.ImagePromoter). The samples
/// that load these packages run in CI after the tests (<c>samples/run.sh</c> in <c>.ci/run</c>).
/// </summary>
public sealed class PackTests
{
    private static readonly string Root = BuildProgram.RepositoryRoot;
    private static readonly string Version = File.ReadAllText(Path.Combine(Root, "VERSION")).Trim();

    [Fact]
    public void Pack_writes_both_packages_with_the_VERSION_their_docs_readme_icon_and_licence_and_no_Cake_assembly()
    {
        var result = BuildProgram.Run("--target", "Pack");

        result.ExitCode.Should().Be(0, result.Output);
        var folder = Path.Combine(Root, ".build", "packages");
        var addin = Path.Combine(folder, $"Cake.ImagePromoter.{Version}.nupkg");
        var library = Path.Combine(folder, $"ImagePromoter.Core.{Version}.nupkg");
        result.Output.Should().Contain($"packed {addin}").And.Contain($"packed {library}");

        Entries(addin).Should().Contain(["lib/net10.0/Cake.ImagePromoter.dll", "lib/net10.0/Cake.ImagePromoter.xml", "README.md", "icon.png"])
            .And.NotContain(e => e.Contains("Cake.Core") || e.Contains("Cake.Common") || e.Contains("NuGet.") || e.Contains("Spectre"));
        Entries(library).Should().Contain(["lib/net10.0/Promoter.dll", "lib/net10.0/Promoter.xml", "README.md", "icon.png"]);

        var addinSpec = Nuspec(addin);
        Text(addinSpec, "license").Should().Be("Apache-2.0");
        Text(addinSpec, "icon").Should().Be("icon.png");
        Text(addinSpec, "readme").Should().Be("README.md");
        Text(addinSpec, "tags").Should().Contain("cake-addin");
        Dependencies(addinSpec).Should().Equal([("ImagePromoter.Core", Version)], "Cake.Core is Cake.Tool's own, never a dependency");
        Dependencies(Nuspec(library)).Should().Contain(("NuGet.Versioning", "7.9.0"), "the version Cake.Tool 7.0.0 loads")
            .And.NotContain(d => d.Id.StartsWith("Spectre", StringComparison.Ordinal) || d.Id.StartsWith("Cake", StringComparison.Ordinal));
    }

    [Fact]
    public void The_addin_and_the_library_reference_only_the_versions_of_what_Cake_Tool_7_0_0_loads_itself()
    {
        var tool = Path.Combine(Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } packages ? packages
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages"), "cake.tool", "7.0.0", "tools", "net10.0", "any");
        var references = new[] { typeof(ImagePromoterAliases).Assembly, typeof(Promoter.PromoterException).Assembly }
            .SelectMany(a => a.GetReferencedAssemblies().Select(r => (Assembly: a.GetName().Name, Reference: r)));

        var clashes = references
            .Where(x => File.Exists(Path.Combine(tool, x.Reference.Name + ".dll")))
            .Where(x => AssemblyName.GetAssemblyName(Path.Combine(tool, x.Reference.Name + ".dll")).Version != x.Reference.Version)
            .Select(x => $"{x.Assembly} -> {x.Reference.FullName}");

        clashes.Should().BeEmpty("Cake.Tool has these assemblies loaded already, at other versions (\"The located assembly's manifest definition does not match\")");
        references.Select(x => x.Reference.Name).Should().NotContain(n => n!.StartsWith("Spectre", StringComparison.Ordinal));
    }

    [Fact]
    public void Every_public_method_of_the_aliases_class_is_a_Cake_alias_with_a_settings_class_or_none()
    {
        var methods = typeof(ImagePromoterAliases).GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.DeclaredOnly);

        methods.Select(m => m.Name).Distinct().Should().BeEquivalentTo(
            ["PromoteImages", "SnapshotRegistry", "CheckSignatures", "PushGoldenImages", "VerifyGoldenArchives", "PurgeTestRegistries", "VersionChanged"]);
        methods.Should().OnlyContain(m => m.GetCustomAttribute<CakeMethodAliasAttribute>() != null);
        methods.Should().OnlyContain(m => m.GetParameters().Last().ParameterType.Name.EndsWith("Settings", StringComparison.Ordinal));
        typeof(ImagePromoterAliases).GetCustomAttributes<CakeNamespaceImportAttribute>().Select(a => a.Namespace).Should().Contain("Cake.ImagePromoter");
    }

    [Fact]
    public void The_samples_load_the_version_in_VERSION_with_Cake_Tool_7_0_0_as_a_local_tool()
    {
        File.ReadAllText(Path.Combine(Root, "samples", "cake-script", "build.cake"))
            .Should().Contain($"#addin nuget:?package=Cake.ImagePromoter&version={Version}&loaddependencies=true",
                "the script must load what the Pack task packs: change its version with VERSION");
        using var tools = JsonDocument.Parse(File.ReadAllText(Path.Combine(Root, ".config", "dotnet-tools.json")));
        tools.RootElement.GetProperty("tools").GetProperty("cake.tool").GetProperty("version").GetString().Should().Be("7.0.0");
        File.ReadAllText(Path.Combine(Root, "samples", "nuget.config")).Should().Contain("value=\"../.build/packages\"");
    }

    private static List<string> Entries(string package)
    {
        using var zip = ZipFile.OpenRead(package);
        return zip.Entries.Select(e => e.FullName).ToList();
    }

    private static XElement Nuspec(string package)
    {
        using var zip = ZipFile.OpenRead(package);
        using var stream = zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).Open();
        return XElement.Load(stream);
    }

    private static string? Text(XElement nuspec, string name) => nuspec.Descendants().FirstOrDefault(e => e.Name.LocalName == name)?.Value;

    private static List<(string Id, string Version)> Dependencies(XElement nuspec) =>
        nuspec.Descendants().Where(e => e.Name.LocalName == "dependency")
            .Select(e => ((string)e.Attribute("id")!, (string)e.Attribute("version")!)).ToList();
}
