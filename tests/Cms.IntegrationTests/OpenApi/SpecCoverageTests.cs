using Cms.IntegrationTests.Harness;
using Newtonsoft.Json.Linq;
using Xunit.Abstractions;

namespace Cms.IntegrationTests.OpenApi;

/// <summary>
/// The served OpenAPI document against the spec's 123 operations, and the README's endpoint table generated from that
/// comparison. Regenerate the table with: AMPCMS_UPDATE_README=1 dotnet test tests/Cms.IntegrationTests --filter SpecCoverageTests
/// </summary>
public sealed class SpecCoverageTests(HostFixture fixture, ITestOutputHelper output) : IClassFixture<HostFixture>
{
    private async Task<SpecCoverage> CoverageAsync()
    {
        var spec = SpecOperations.Read(SpecOperations.Locate());
        using var anonymous = fixture.Host.Client(null!);
        var document = await anonymous.Get("/openapi/v2.json");
        Assert.Equal(200, document.Status);
        return new SpecCoverage(spec, SpecCoverage.OperationsOf(document.Body));
    }

    [Fact]
    public void The_spec_lists_123_distinct_operations()
    {
        var spec = SpecOperations.Read(SpecOperations.Locate());
        Assert.Equal(123, spec.Count);
        Assert.Equal(123, spec.Distinct().Count());
        // Spot checks of the method reading (the text has no method badges).
        Assert.Contains(new Operation("PATCH", "/v2/users/me"), spec);
        Assert.Contains(new Operation("POST", "/v2/users/{}/switch"), spec);
        Assert.Contains(new Operation("DELETE", "/v2/charging_sessions/{}/{}"), spec);
        Assert.Contains(new Operation("POST", "/v2/planned_routes"), spec);
        Assert.Contains(new Operation("PATCH", "/v2/events/{}"), spec);
        Assert.Equal(4, spec.Count(o => o.Path == "/v2/configurations"));
    }

    [Fact]
    public async Task Every_spec_operation_is_in_the_document()
    {
        var coverage = await CoverageAsync();
        output.WriteLine($"{coverage.Covered} of {coverage.Spec.Count} spec operations are in /openapi/v2.json");
        foreach (var op in coverage.Missing) output.WriteLine("missing: " + op);
        foreach (var op in coverage.Extra) output.WriteLine("beyond the spec: " + op);

        Assert.True(coverage.Missing.Count == 0, "spec operations missing from the OpenAPI document: " + string.Join(", ", coverage.Missing));
    }

    [Fact]
    public async Task The_readme_endpoint_table_is_the_one_this_comparison_generates()
    {
        var table = (await CoverageAsync()).Table();
        var readmePath = Path.Combine(SpecOperations.RepositoryRoot().FullName, "README.md");
        var readme = await File.ReadAllTextAsync(readmePath);
        var start = readme.IndexOf(SpecCoverage.TableStart, StringComparison.Ordinal);
        var end = readme.IndexOf(SpecCoverage.TableEnd, StringComparison.Ordinal);
        Assert.True(start >= 0 && end > start, $"README.md has no endpoint table between {SpecCoverage.TableStart} and {SpecCoverage.TableEnd}");
        var current = readme[start..(end + SpecCoverage.TableEnd.Length)];
        if (current != table && Environment.GetEnvironmentVariable("AMPCMS_UPDATE_README") == "1")
        {
            await File.WriteAllTextAsync(readmePath, readme[..start] + table + readme[(end + SpecCoverage.TableEnd.Length)..]);
            return;
        }
        Assert.True(current == table,
            "README.md's endpoint table is stale; regenerate it with AMPCMS_UPDATE_README=1 dotnet test tests/Cms.IntegrationTests --filter SpecCoverageTests\n" + table);
    }
}
