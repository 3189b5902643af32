using Build.Host;

namespace Build.Tasks;

[TaskName("Default")]
[IsDependentOn(typeof(CompileTask))]
[IsDependentOn(typeof(TestTask))]
[TaskDescription("Compiles the solution and runs its tests.")]
public sealed class DefaultTask : FrostingTask<BuildContext>;
