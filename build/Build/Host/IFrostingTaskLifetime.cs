namespace Build.Host;

/// <summary>Runs around every task (Cake's TaskSetup and TaskTeardown).</summary>
public interface IFrostingTaskLifetime : IFrostingTaskSetup, IFrostingTaskTeardown;
