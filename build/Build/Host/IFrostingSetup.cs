using Cake.Core;

namespace Build.Host;

/// <summary>Runs once before the first task (Cake's Setup).</summary>
public interface IFrostingSetup
{
    /// <summary>Before the first task. Throwing stops the run before any task; teardowns still run.</summary>
    void Setup(ICakeContext context, ISetupContext info);
}
