using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Compliance.Benchmarks;
using Compliance.Benchmarks.Scenarios;

// Runs the named scenarios (all when none is named) against the storage in COMPLIANCE_STORAGE and merges
// their metrics into artifacts/bench/results.json as { "scenario": { "metric": number } }.
IBenchmarkScenario[] scenarios = [new ProvisionScenario(), new AuditScenario(), new RotateScenario(), new IngestScenario(), new ReadScenario(), new PurgeScenario(), new EraseScenario(), new ReportScenario()];

var connectionString = Environment.GetEnvironmentVariable("COMPLIANCE_STORAGE");
if (string.IsNullOrEmpty(connectionString))
{
    await Console.Error.WriteLineAsync("error: COMPLIANCE_STORAGE is not set; run ./scripts/bench.sh, which starts Azurite.");
    return 2;
}

var resultsPath = args.FirstOrDefault(a => a.StartsWith("--results=", StringComparison.Ordinal))?["--results=".Length..]
    ?? Path.Combine("artifacts", "bench", "results.json");
var names = args.Where(a => !a.StartsWith("--", StringComparison.Ordinal)).ToList();
var unknown = names.Except(scenarios.Select(s => s.Name)).ToList();
if (unknown.Count > 0)
{
    await Console.Error.WriteLineAsync($"error: unknown scenario {string.Join(", ", unknown)}; known: {string.Join(", ", scenarios.Select(s => s.Name))}");
    return 2;
}

var selected = names.Count == 0 ? scenarios : scenarios.Where(s => names.Contains(s.Name)).ToArray();
var results = File.Exists(resultsPath) ? JsonNode.Parse(await File.ReadAllTextAsync(resultsPath))!.AsObject() : [];
foreach (var scenario in selected)
{
    await Console.Error.WriteLineAsync($"{scenario.Name}: {scenario.Description}");
    var metrics = await scenario.RunAsync(connectionString, CancellationToken.None);
    var node = new JsonObject();
    foreach (var (metric, value) in metrics)
    {
        node[metric] = Math.Round(value, 3);
    }

    results[scenario.Name] = node;
    Console.WriteLine($"{scenario.Name}");
    foreach (var (metric, value) in metrics)
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {metric,-28} {value,12:0.000}"));
    }
}

Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(resultsPath))!);
await File.WriteAllTextAsync(resultsPath, results.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + Environment.NewLine);
Console.WriteLine($"results: {resultsPath}");
return 0;
