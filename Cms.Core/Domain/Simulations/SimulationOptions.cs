using Cms.Core.Resources;
using Newtonsoft.Json.Linq;

namespace Cms.Core.Domain.Simulations;

/// <summary>
/// The what-if knobs of a replay, read from a request body (field names as the network's) or given by the command
/// line; anything left out takes the network's own value. Bad values fail naming the field.
/// </summary>
public sealed record SimulationOptions
{
    public const int MaxSessions = 5000;
    public static readonly TimeSpan MaxSpan = TimeSpan.FromDays(31);
    public const double DefaultMaxKw = 7.4;

    public string Source { get; init; } = "store";
    public DateTimeOffset? From { get; init; }
    public DateTimeOffset? To { get; init; }
    public IReadOnlyList<AcnSession>? Sessions { get; init; }
    public double? MaxCapacity { get; init; }
    public string? Objective { get; init; }
    /// <summary>Energy price per hour of the day (UTC), 24 values.</summary>
    public double[]? Prices { get; init; }
    public double? MaxCapacityBuffer { get; init; }
    public double? ConnectorMinimumLoad { get; init; }
    public double? ConnectorPowerStep { get; init; }
    public bool IncludeLoadCurve { get; init; } = true;
    /// <summary>Fleet without prices: the lowest peak among energy-optimal plans (see NetworkLimits.MinimizePeak).</summary>
    public bool MinimizePeak { get; init; }

    private static readonly string[] Known =
    [
        "source", "from", "to", "sessions", "maxCapacity", "objective", "prices", "maxCapacityBuffer", "connectorMinimumLoad",
        "connectorPowerStep", "includeLoadCurve", "minimizePeak",
    ];

    public static SimulationOptions FromJson(JToken? body)
    {
        if (body is null) return new SimulationOptions();
        if (body is not JObject o) throw ApiFailure.BadRequest("body", "must be a JSON object");
        var errors = new Dictionary<string, string>();
        foreach (var p in o.Properties())
            if (!Known.Contains(p.Name)) errors[p.Name] = "unknown field";
        var options = new SimulationOptions();
        string? source = Text(o, "source", errors);
        if (source is not null and not ("store" or "sessions")) errors["source"] = "must be store or sessions";
        var sessions = o["sessions"] is { Type: not JTokenType.Null } list ? ReadSessions(list, errors) : null;
        source ??= sessions is null ? "store" : "sessions";
        if (source == "sessions" && sessions is null) errors["sessions"] = "is required when source is sessions";
        if (source == "store" && sessions is not null) errors["sessions"] = "only with source sessions";
        var objective = Text(o, "objective", errors);
        if (objective is not null and not ("load_sharing" or "fleet")) errors["objective"] = "must be load_sharing or fleet";
        double[]? prices = null;
        if (o["prices"] is { Type: not JTokenType.Null } pr)
        {
            if (pr is not JArray a || a.Count != 24 || a.Any(v => v.Type is not (JTokenType.Integer or JTokenType.Float) || !double.IsFinite((double)v) || Math.Abs((double)v) > 1e6))
                errors["prices"] = "must be 24 numbers, the energy price of each hour of the day (UTC)";
            else prices = a.Select(v => (double)v).ToArray();
        }
        var result = options with
        {
            Source = source,
            From = Time(o, "from", errors),
            To = Time(o, "to", errors),
            Sessions = sessions,
            MaxCapacity = Number(o, "maxCapacity", 0.001, 1e6, errors),
            Objective = objective,
            Prices = prices,
            MaxCapacityBuffer = Number(o, "maxCapacityBuffer", 0, 0.99, errors),
            ConnectorMinimumLoad = Number(o, "connectorMinimumLoad", 0, 1000, errors),
            ConnectorPowerStep = Number(o, "connectorPowerStep", 0, 1000, errors),
            IncludeLoadCurve = o["includeLoadCurve"] is { Type: JTokenType.Boolean } b ? (bool)b
                : o["includeLoadCurve"] is null or { Type: JTokenType.Null } ? true : Fail(errors, "includeLoadCurve", "must be true or false"),
            MinimizePeak = o["minimizePeak"] is { Type: JTokenType.Boolean } mp ? (bool)mp
                : o["minimizePeak"] is not null and not { Type: JTokenType.Null } && Fail(errors, "minimizePeak", "must be true or false"),
        };
        if (result.From is { } f && result.To is { } t && t <= f) errors["to"] = "must be after from";
        if (result.From is { } f2 && result.To is { } t2 && t2 - f2 > MaxSpan) errors["to"] = $"at most {MaxSpan.TotalDays:F0} days after from";
        if (errors.Count > 0) throw new ApiFailure(400, errors);
        return result;
    }

    private static bool Fail(Dictionary<string, string> errors, string field, string why)
    {
        errors[field] = why;
        return true;
    }

    private static List<AcnSession>? ReadSessions(JToken token, Dictionary<string, string> errors)
    {
        if (token is not JArray array) { errors["sessions"] = "must be a list"; return null; }
        if (array.Count > MaxSessions) { errors["sessions"] = $"at most {MaxSessions} sessions"; return null; }
        var list = new List<AcnSession>();
        for (var k = 0; k < array.Count; k++)
        {
            var name = $"sessions[{k}]";
            if (array[k] is not JObject s) { errors[name] = "must be an object"; continue; }
            foreach (var p in s.Properties())
                if (p.Name is not ("stationID" or "connectionTime" or "disconnectTime" or "kWhDelivered" or "maxKw")) errors[$"{name}.{p.Name}"] = "unknown field";
            var station = Text(s, "stationID", errors, name + ".");
            var start = Time(s, "connectionTime", errors, name + ".");
            var end = Time(s, "disconnectTime", errors, name + ".");
            var kwh = Number(s, "kWhDelivered", 0, 1e4, errors, name + ".");
            var maxKw = Number(s, "maxKw", 0.001, 1e4, errors, name + ".");
            if (station is null) errors.TryAdd(name + ".stationID", "is required");
            if (start is null) errors.TryAdd(name + ".connectionTime", "is required");
            if (end is null) errors.TryAdd(name + ".disconnectTime", "is required");
            if (kwh is null) errors.TryAdd(name + ".kWhDelivered", "is required");
            if (start is { } a && end is { } b && b <= a) errors[name + ".disconnectTime"] = "must be after connectionTime";
            if (station is not null && start is not null && end is not null && kwh is not null)
                list.Add(new AcnSession(station, start.Value, end.Value, kwh.Value, maxKw));
        }
        return list;
    }

    private static string? Text(JObject o, string field, Dictionary<string, string> errors, string prefix = "")
    {
        var t = o[field];
        if (t is null || t.Type == JTokenType.Null) return null;
        if (t.Type != JTokenType.String || string.IsNullOrWhiteSpace((string?)t)) { errors[prefix + field] = "must be a non-empty string"; return null; }
        return (string)t!;
    }

    private static DateTimeOffset? Time(JObject o, string field, Dictionary<string, string> errors, string prefix = "")
    {
        var text = Text(o, field, errors, prefix);
        if (text is null) return null;
        try { return Iso.Parse(text); }
        catch (FormatException) { errors[prefix + field] = "must be an ISO 8601 timestamp"; return null; }
    }

    private static double? Number(JObject o, string field, double min, double max, Dictionary<string, string> errors, string prefix = "")
    {
        var t = o[field];
        if (t is null || t.Type == JTokenType.Null) return null;
        if (t.Type is not (JTokenType.Integer or JTokenType.Float) || !double.IsFinite((double)t) || (double)t < min || (double)t > max)
        {
            errors[prefix + field] = $"must be a number in [{min}, {max}]";
            return null;
        }
        return (double)t;
    }
}
