namespace Build.Host;

/// <summary>Runs once before the first task and once after the last (Cake's Setup and Teardown).</summary>
public interface IFrostingLifetime : IFrostingSetup, IFrostingTeardown;
