using System.Globalization;
using Cms.IntegrationTests.Robustness;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Cms.IntegrationTests.Fuzzing;

/// <summary>One fuzzed REST request: method, path with query, and the body text (null: none).</summary>
public sealed record FuzzRequest(string Method, string Path, string? Body, MappedEndpoint Endpoint)
{
    public override string ToString() => $"{Method} {Path} {(Body is null ? "" : FuzzRun.Shorten(Body))}";
}

/// <summary>Requests for every mapped route: real and wrong ids, mutated accepted bodies, broken JSON, odd query strings.</summary>
public sealed class RestRequestFuzzer(IReadOnlyList<MappedEndpoint> endpoints, TenantWorld world, Random random)
{
    private static readonly string[] QueryKeys =
    [
        "limit", "offset", "sort", "search", "network", "chargepoint", "vehicle", "start", "end", "transaction_id", "customer",
        "configuration_uuid", "source", "type", "status", "messageType", "operationType", "protocol", "email", "group",
        "chargepoint_serial", "urgency", "connector", "session", "unknownKey", "", "limit[]",
    ];

    private static readonly string[] QueryValues =
    [
        "", "0", "1", "-1", "1001", "1000", "99999999999999999999", "1e3", "abc", "null", "true", "2031-05-01T00:00:00Z",
        "2031-13-45T99:99:99Z", "yesterday", "timestamp:asc", "created:desc", "nope:asc", "id:sideways", ":", "a:b:c",
        "created:asc,id:desc", "' OR 1=1 --", "%", "_", "\\", "00000000-0000-0000-0000-000000000000", "😀", new string('q', 3000),
    ];

    public FuzzRequest Next()
    {
        var endpoint = endpoints[random.Next(endpoints.Count)];
        var path = endpoint.HasParameters ? endpoint.Fill(endpoint.Parameters.ToDictionary(p => p, _ => Identifier())) : endpoint.Path;
        if (random.Next(2) == 0) path += Query();
        var body = endpoint.Method is "POST" or "PATCH" or "PUT" || random.Next(20) == 0 ? Body(endpoint) : null;
        return new FuzzRequest(endpoint.Method, path, body, endpoint);
    }

    private string Identifier() => random.Next(10) switch
    {
        < 6 => Pick([world.NetworkId, world.ChargePointId, world.Site.Connector1, world.OcppId, (string)world.Session["id"]!, (string?)world.Session["transactionId"] ?? "1"]),
        < 8 => Guid.NewGuid().ToString(),
        _ => Pick(["x", "0", "-1", "..", "%2e%2e", "null", "' OR 1=1 --", new string('z', 500), "😀", "00000000-0000-0000-0000-000000000000", "1e400"]),
    };

    private string Query()
    {
        var parts = Enumerable.Range(0, random.Next(1, 5)).Select(_ =>
        {
            var key = Pick(QueryKeys);
            var value = random.Next(3) == 0 ? Pick([world.NetworkId, world.ChargePointId, world.OcppId, (string)world.Session["id"]!]) : Pick(QueryValues);
            return $"{Uri.EscapeDataString(key)}={Uri.EscapeDataString(value)}";
        });
        return "?" + string.Join("&", parts);
    }

    private string? Body(MappedEndpoint endpoint)
    {
        var seed = world.Bodies.GetValueOrDefault(endpoint.Collection) ?? world.Bodies.GetValueOrDefault(endpoint.Path);
        return random.Next(20) switch
        {
            0 => null,
            1 => Pick(["", " ", "{", "[", "{\"a\":", "nul", "\"text\"", "42", "[]", "{}", "{\"a\":1}{\"b\":2}", "\u0000", "{'single':'quotes'}"]),
            2 => JsonMutator.NestedText(random.Next(50, 20_000)),
            3 => JsonMutator.Nested(random.Next(2, 70), random).ToString(Formatting.None),
            4 => new JObject { ["name"] = new string('n', random.Next(10_000, 200_000)) }.ToString(Formatting.None),
            5 => JsonMutator.Leaf(random).ToString(Formatting.None),
            _ when seed is not null && random.Next(5) == 0 => seed.ToString(Formatting.None), // the accepted body as it was
            _ when seed is not null => JsonMutator.Mutate(seed, random).ToString(Formatting.None),
            _ => JsonMutator.Mutate(new JObject { ["name"] = "x", ["networkId"] = world.NetworkId, ["maxCapacity"] = 10 }, random).ToString(Formatting.None),
        };
    }

    private T Pick<T>(T[] options) => options[random.Next(options.Length)];

    public static string Describe(int index, FuzzRequest request) => string.Create(CultureInfo.InvariantCulture, $"#{index} {request}");
}
