using Promoter.Tests.Support;
using Xunit;

namespace Build.Tests.Harness;

/// <summary>
/// The base of a test class whose every test starts from its own registry seeded with upstream's golden set under
/// <c>stg/</c> (<see cref="BuildProgram.StartSeededRegistryAsync"/>) and its own temporary folder; both go after the test.
/// </summary>
/// <param name="folderPrefix">The start of the temporary folder's name, e.g. <c>presubmit-</c>.</param>
public abstract class SeededRegistryTest(string folderPrefix) : IAsyncLifetime
{
    /// <summary>The registry holding the golden set under <c>stg/</c>; a test writes its destinations beside it.</summary>
    protected TestRegistry Seeded { get; private set; } = null!;

    /// <summary>The test's temporary folder (manifests, reports, plans).</summary>
    protected string Folder { get; } = Directory.CreateTempSubdirectory(folderPrefix).FullName;

    public async Task InitializeAsync() => Seeded = await BuildProgram.StartSeededRegistryAsync();

    public Task DisposeAsync()
    {
        Seeded.Dispose();
        Directory.Delete(Folder, recursive: true);
        return Task.CompletedTask;
    }
}
