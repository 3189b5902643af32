using Build.Flows;
using Build.Host;
using Build.Settings;

namespace Build.Tasks;

/// <summary>Runs the SignatureCheck command (<c>Settings.Promote(PromoteMode.SignatureCheck)</c>) through <see cref="SignatureCheckFlow.Run"/>.</summary>
[TaskName(TaskNames.SignatureCheck)]
[TaskDescription("Lists destination digests whose cosign signatures are missing or differ from the source's (--manifest= or --thin-manifest-dir=); --confirm copies them.")]
public sealed class SignatureCheckTask : FrostingTask<BuildContext>
{
    /// <inheritdoc />
    public override void Run(BuildContext context) => SignatureCheckFlow.Run(context.Settings.Promote(PromoteMode.SignatureCheck), context.Registries.Pool, context);
}
