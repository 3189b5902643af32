using Build.Flows;
using Build.Host;

namespace Build.Tasks;

/// <summary>Hands <c>Settings.Promote</c> and the run's registry pool to <see cref="SignatureCheckFlow.Run"/>.</summary>
[TaskName("SignatureCheck")]
[TaskDescription("Lists destination digests whose cosign signatures are missing or differ from the source's (--manifest= or --thin-manifest-dir=); --confirm copies them.")]
public sealed class SignatureCheckTask : FrostingTask<BuildContext>
{
    /// <inheritdoc />
    public override void Run(BuildContext context) => SignatureCheckFlow.Run(context.Settings.Promote, context.Registries.Pool, context);
}
