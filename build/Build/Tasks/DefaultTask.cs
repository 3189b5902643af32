using Build.Host;

namespace Build.Tasks;

/// <summary>Has no body: it exists only to depend on <see cref="CompileTask"/> and <see cref="TestTask"/>.</summary>
[TaskName("Default")]
[IsDependentOn(typeof(CompileTask))]
[IsDependentOn(typeof(TestTask))]
[TaskDescription("Compiles the solution and runs its tests.")]
public sealed class DefaultTask : FrostingTask<BuildContext>;
