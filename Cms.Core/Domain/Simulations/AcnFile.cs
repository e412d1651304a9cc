using System.Globalization;
using System.IO.Compression;
using Newtonsoft.Json.Linq;

namespace Cms.Core.Domain.Simulations;

/// <summary>One recorded charging session in ACN-Data terms.</summary>
public sealed record AcnSession(string StationId, DateTimeOffset ConnectionTime, DateTimeOffset DisconnectTime, double KwhDelivered, double? MaxKw);

/// <summary>
/// Reads recorded sessions in the formats Caltech's ACN publishes (gzip or plain): the ACN-Data API answer
/// (<c>{"_items": [{"stationID", "connectionTime", "disconnectTime", "kWhDelivered"}]}</c>) and an ACN-Sim event
/// queue (EVs with <c>_arrival</c>/<c>_departure</c> in 5-minute periods from its start, <c>_requested_energy</c>,
/// <c>_station_id</c>, a battery with <c>_max_power</c>). The event queue carries no clock: its start is recovered
/// from the UTC timestamp ACN-Sim puts at the end of each <c>_session_id</c>, rounded to the hour.
/// </summary>
public static class AcnFile
{
    public static List<AcnSession> Read(string path)
    {
        using var file = File.OpenRead(path);
        using Stream stream = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new GZipStream(file, CompressionMode.Decompress) : file;
        using var reader = new StreamReader(stream);
        return Parse(reader.ReadToEnd());
    }

    public static List<AcnSession> Parse(string text)
    {
        var token = JToken.Parse(text);
        if (token.Type == JTokenType.String) token = JToken.Parse((string)token!);
        if (token is JObject { } obj && obj["context_dict"] is JObject context) return FromEventQueue(context);
        var items = token is JArray array ? array : token["_items"] as JArray ?? throw new FormatException("neither ACN-Data items nor an ACN-Sim event queue");
        return items.Select(i => new AcnSession((string)i["stationID"]!, Time(i["connectionTime"]!), Time(i["disconnectTime"]!),
            (double)i["kWhDelivered"]!, (double?)i["maxKw"])).ToList();
    }

    private static DateTimeOffset Time(JToken t) => t.Type == JTokenType.Date
        ? new DateTimeOffset((DateTime)t, TimeSpan.Zero)
        : DateTimeOffset.Parse((string)t!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    private static List<AcnSession> FromEventQueue(JObject context)
    {
        var evs = context.Properties().Select(p => p.Value).OfType<JObject>()
            .Where(v => ((string?)v["class"])?.EndsWith(".EV", StringComparison.Ordinal) == true)
            .Select(v => (JObject)v["attributes"]!).ToList();
        if (evs.Count == 0) return [];
        var first = evs[0];
        var stamp = ((string)first["_session_id"]!).Split('_')[^1];
        var seen = DateTimeOffset.Parse(stamp, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
        var origin = seen - TimeSpan.FromMinutes(5 * (int)first["_arrival"]!);
        origin = new DateTimeOffset(origin.Year, origin.Month, origin.Day, origin.Hour, 0, 0, TimeSpan.Zero).AddHours(origin.Minute >= 30 ? 1 : 0);
        return evs.Select(e =>
        {
            var battery = e["_battery"] is JValue id && context[(string)id!] is JObject b ? (double?)b["attributes"]?["_max_power"] : null;
            return new AcnSession((string)e["_station_id"]!, origin.AddMinutes(5 * (int)e["_arrival"]!), origin.AddMinutes(5 * (int)e["_departure"]!),
                (double)e["_requested_energy"]!, battery);
        }).OrderBy(s => s.ConnectionTime).ToList();
    }

    /// <summary>The same sessions as an ACN-Data style JSON array, the body format of POST /v2/networks/{id}/simulations.</summary>
    public static JArray ToJson(IEnumerable<AcnSession> sessions) => new(sessions.Select(s => new JObject
    {
        ["stationID"] = s.StationId,
        ["connectionTime"] = s.ConnectionTime.ToString("yyyy-MM-dd'T'HH:mm:ssK", CultureInfo.InvariantCulture),
        ["disconnectTime"] = s.DisconnectTime.ToString("yyyy-MM-dd'T'HH:mm:ssK", CultureInfo.InvariantCulture),
        ["kWhDelivered"] = s.KwhDelivered,
        ["maxKw"] = s.MaxKw,
    }));
}
