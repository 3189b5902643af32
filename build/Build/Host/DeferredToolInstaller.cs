using Cake.Core.IO;
using Cake.Core.Packaging;
using Cake.Core.Tooling;

namespace Build.Host;

/// <summary>An <see cref="IToolInstaller"/> that builds the real one when a tool is first installed.</summary>
internal sealed class DeferredToolInstaller(Func<IToolInstaller> create) : IToolInstaller
{
    private readonly Lazy<IToolInstaller> _installer = new(create);

    /// <inheritdoc />
    public IEnumerable<FilePath> Install(PackageReference tool) => _installer.Value.Install(tool);
}
