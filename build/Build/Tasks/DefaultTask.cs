using Build.Host;

namespace Build.Tasks;

/// <summary>The <c>Default</c> task: compiles the solution and runs its tests.</summary>
[TaskName("Default")]
[IsDependentOn(typeof(CompileTask))]
[IsDependentOn(typeof(TestTask))]
[TaskDescription("Compiles the solution and runs its tests.")]
public sealed class DefaultTask : FrostingTask<BuildContext>;
