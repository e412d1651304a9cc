using System.Globalization;
using Cms.Core.Auth;
using Cms.Core.Domain.Simulations;
using Cms.Core.Resources;
using Cms.Core.Storage;
using Dapper;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Cms.Host.Commands;

/// <summary>
/// <c>Cms.Host simulate</c>: the what-if replay from the command line, printing the same JSON as
/// POST /v2/networks/{id}/simulations. Either an ACN file (<c>--acn path</c>, no store needed) or a network's
/// recorded sessions (<c>--network id [--from iso] [--to iso]</c>, from the configured store).
/// Options: --capacity kW, --objective load_sharing|fleet, --prices 24 comma-separated hourly prices (UTC),
/// --buffer fraction, --min-load kW, --step kW, --curve (include the load curve), --minimize-peak.
/// </summary>
public static class SimulateCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
        try
        {
            var options = Options(args);
            var body = new JObject
            {
                ["maxCapacity"] = Number(args, "--capacity"), ["objective"] = Value(args, "--objective"),
                ["maxCapacityBuffer"] = Number(args, "--buffer"), ["connectorMinimumLoad"] = Number(args, "--min-load"),
                ["connectorPowerStep"] = Number(args, "--step"), ["includeLoadCurve"] = args.Contains("--curve"),
                ["minimizePeak"] = args.Contains("--minimize-peak"),
                ["prices"] = Value(args, "--prices") is { } p ? new JArray(p.Split(',').Select(x => double.Parse(x, CultureInfo.InvariantCulture))) : null,
            };
            JObject result;
            if (Value(args, "--acn") is { } path)
            {
                body["source"] = "sessions";
                body["sessions"] = AcnFile.ToJson(AcnFile.Read(path));
                result = SimulationRunner.Run(SimulationOptions.FromJson(body), null, SimulationOptions.FromJson(body).Sessions!, null);
            }
            else if (Value(args, "--network") is { } networkId)
            {
                body["source"] = "store";
                body["from"] = Value(args, "--from");
                body["to"] = Value(args, "--to");
                var app = await AmpCmsApp.BuildAsync(options);
                var customerId = await app.Services.GetRequiredService<Database>().ReadAsync(conn =>
                    conn.QueryFirstOrDefaultAsync<string?>("SELECT customerId FROM networks WHERE id = @networkId", new { networkId }))
                    ?? throw ApiFailure.NotFound("network", networkId);
                result = await app.Services.GetRequiredService<SimulationService>()
                    .RunAsync(new Caller("command-line", customerId, "admin"), networkId, body);
            }
            else
            {
                Console.Error.WriteLine("usage: simulate (--acn FILE | --network ID [--from ISO] [--to ISO]) [--capacity KW] [--objective load_sharing|fleet] " +
                                        "[--prices P0,...,P23] [--buffer F] [--min-load KW] [--step KW] [--curve] [--minimize-peak]");
                return 2;
            }
            Console.WriteLine(result.ToString(Formatting.Indented));
            return 0;
        }
        catch (ApiFailure e)
        {
            Console.Error.WriteLine(JsonConvert.SerializeObject(new { status = "fail", data = e.Errors }));
            return 1;
        }
    }

    /// <summary>Host options (--Storage:Path=…, etc.) pass through to the store; ours are removed.</summary>
    private static string[] Options(string[] args) => args.Where(a => a.StartsWith("--", StringComparison.Ordinal) && a.Contains('=')).ToArray();

    private static string? Value(string[] args, string name)
    {
        int k = Array.IndexOf(args, name);
        return k >= 0 && k + 1 < args.Length ? args[k + 1] : null;
    }

    private static double? Number(string[] args, string name) =>
        Value(args, name) is { } v ? double.Parse(v, CultureInfo.InvariantCulture) : null;
}
