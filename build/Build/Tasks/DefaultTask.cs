using Build.Host;
using Build.Settings;

namespace Build.Tasks;

/// <summary>Has no body: it exists only to depend on <see cref="CompileTask"/> and <see cref="TestTask"/>.</summary>
[TaskName(TaskNames.Default)]
[IsDependentOn(typeof(CompileTask))]
[IsDependentOn(typeof(TestTask))]
[TaskDescription("Compiles the solution and runs its tests.")]
public sealed class DefaultTask : FrostingTask<BuildContext>;
