using Xunit;
using Xunit.Abstractions;

namespace Promoter.Tests.Support;

/// <summary>
/// Orders a test assembly's collections for its parallel run: the collections of classes marked
/// <see cref="LongRunningAttribute"/> first, then the rest; each group by display name, so the order is the same every run.
/// </summary>
/// <remarks>
/// xunit starts collections in this order, as many at a time as it runs threads; the longest first is the classic rule for
/// packing jobs on few workers (with two cores, a 100 s class started last makes the run 100 s longer). Collections that
/// disable parallelization run after all others whatever their place here. Use it with
/// <c>[assembly: TestCollectionOrderer(LongRunningFirstOrderer.TypeName, LongRunningFirstOrderer.AssemblyName)]</c>.
/// </remarks>
public sealed class LongRunningFirstOrderer : ITestCollectionOrderer
{
    /// <summary>This type's full name, for <see cref="TestCollectionOrdererAttribute"/>.</summary>
    public const string TypeName = "Promoter.Tests.Support.LongRunningFirstOrderer";

    /// <summary>This assembly's name, for <see cref="TestCollectionOrdererAttribute"/>.</summary>
    public const string AssemblyName = "Promoter.Tests.Support";

    // xunit 2 names the collection of a class without [Collection] "Test collection for " + the class's full name.
    private const string PerClass = "Test collection for ";

    /// <inheritdoc />
    public IEnumerable<ITestCollection> OrderTestCollections(IEnumerable<ITestCollection> testCollections) =>
        testCollections
            .OrderBy(collection => IsLongRunning(collection) ? 0 : 1)
            .ThenBy(collection => collection.DisplayName, StringComparer.Ordinal)
            .ToList();

    private static bool IsLongRunning(ITestCollection collection)
    {
        var type = collection.CollectionDefinition
                   ?? (collection.DisplayName.StartsWith(PerClass, StringComparison.Ordinal)
                       ? collection.TestAssembly.Assembly.GetType(collection.DisplayName[PerClass.Length..])
                       : null);
        return type?.GetCustomAttributes(typeof(LongRunningAttribute).AssemblyQualifiedName).Any() == true;
    }
}
