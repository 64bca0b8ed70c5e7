namespace Compliance.Benchmarks;

/// <summary>
/// One benchmark: the product and the raw Azure SDK doing the same storage work against the same Azurite,
/// measured in the same run, so the ratio cancels out the machine and the emulator.
/// </summary>
internal interface IBenchmarkScenario
{
    string Name { get; }

    string Description { get; }

    Task<IReadOnlyDictionary<string, double>> RunAsync(string connectionString, CancellationToken cancellationToken);
}
