using System.Globalization;
using Cms.Core.Resources;
using Newtonsoft.Json.Linq;

namespace Cms.Core.Domain.Cdrs;

/// <summary>A meter register reading of the session, in kWh.</summary>
public readonly record struct RegisterReading(DateTimeOffset At, double Kwh);

/// <summary>What a CDR is made of: the closed session and where it happened, as stored rows.</summary>
public sealed record CdrInputs(
    string CdrId,
    IDictionary<string, object?> Session,
    IDictionary<string, object?> Network,
    IDictionary<string, object?> ChargePoint,
    IDictionary<string, object?>? Connector,
    string PartyId,
    IReadOnlyList<RegisterReading> Registers,
    DateTimeOffset Now);

/// <summary>
/// Builds an OCPI 2.2.1 CDR for a closed session. Priced from the network's defaultTariff (per kWh), defaultTax (a
/// fraction, 0.19 = 19 %) and currency: there is no time or parking tariff, so those costs are 0. Charging periods
/// follow the meter's register readings: one period between each two readings, a period without energy is parking time.
/// </summary>
public static class CdrBuilder
{
    public const int Decimals = 4;

    public static JObject Build(CdrInputs input)
    {
        var s = input.Session;
        var start = Iso.Parse(s.Str("sessionStart")!);
        var end = Iso.Parse(s.Str("sessionEnd")!);
        var totalEnergy = Math.Round(TotalEnergyKwh(s), Decimals);
        var tariff = input.Network.Double("defaultTariff") ?? 0;
        var tax = input.Network.Double("defaultTax") ?? 0;
        var currency = input.Network.Str("currency") ?? "EUR";
        var tariffId = "default-" + input.Network.Str("id");

        var periods = Periods(start, end, s, totalEnergy, input.Registers);
        var parkingHours = periods.Where(p => p.Kwh <= 0).Sum(p => (p.To - p.From).TotalHours);
        var energyCost = Math.Round(totalEnergy * tariff, Decimals);
        var countryCode = CountryCode(input.Network.Str("country"));

        return new JObject
        {
            ["country_code"] = countryCode,
            ["party_id"] = input.PartyId,
            ["id"] = input.CdrId,
            ["start_date_time"] = Ocpi(start),
            ["end_date_time"] = Ocpi(end),
            ["session_id"] = s.Str("id"),
            ["cdr_token"] = Token(s.Str("idTag"), countryCode, input.PartyId),
            ["auth_method"] = s.Str("idTag") is null ? "COMMAND" : "WHITELIST",
            ["authorization_reference"] = s.Long("transactionId")?.ToString(CultureInfo.InvariantCulture),
            ["cdr_location"] = Location(input),
            ["meter_id"] = input.ChargePoint.Str("serialNumber"),
            ["currency"] = currency,
            ["tariffs"] = new JArray(Tariff(tariffId, currency, tariff, tax, countryCode, input.PartyId, input.Now)),
            ["charging_periods"] = new JArray(periods.Select(p => Period(p, tariffId))),
            ["total_cost"] = Price(energyCost, tax),
            ["total_fixed_cost"] = Price(0, tax),
            ["total_energy"] = totalEnergy,
            ["total_energy_cost"] = Price(energyCost, tax),
            ["total_time"] = Hours(end - start),
            ["total_time_cost"] = Price(0, tax),
            ["total_parking_time"] = Math.Round(parkingHours, Decimals),
            ["total_parking_cost"] = Price(0, tax),
            ["remark"] = s.Str("stopReason"),
            ["credit"] = false,
            ["home_charging_compensation"] = false,
            ["last_updated"] = Ocpi(input.Now),
        };
    }

    /// <summary>OCPI's price: excluding and including VAT.</summary>
    public static JObject Price(double exclVat, double tax) => new()
    {
        ["excl_vat"] = Math.Round(exclVat, Decimals),
        ["incl_vat"] = Math.Round(exclVat * (1 + tax), Decimals),
    };

    /// <summary>The session's energy as its resource shows it: meterStop − start register once stopped with a reading, else what meter values measured.</summary>
    public static double TotalEnergyKwh(IDictionary<string, object?> s) =>
        s.Double("meterStop") is { } stop && (s.Double("meterStart") ?? s.Double("firstMeterRegister")) is { } first
            ? Math.Max(stop - first, 0)
            : s.Double("energyConsumed") ?? 0;

    private sealed record ChargingPeriod(DateTimeOffset From, DateTimeOffset To, double Kwh);

    private static List<ChargingPeriod> Periods(DateTimeOffset start, DateTimeOffset end, IDictionary<string, object?> s,
        double totalEnergy, IReadOnlyList<RegisterReading> registers)
    {
        var first = s.Double("meterStart") ?? s.Double("firstMeterRegister");
        if (first is null || end <= start) return [new ChargingPeriod(start, end, totalEnergy)];
        var last = first.Value + totalEnergy;
        // Readings inside the session, in time order, never going backwards: the points where periods change.
        var points = new List<RegisterReading> { new(start, first.Value) };
        foreach (var r in registers.OrderBy(r => r.At))
            if (r.At > points[^1].At && r.At < end && r.Kwh >= points[^1].Kwh && r.Kwh <= last)
                points.Add(r);
        points.Add(new RegisterReading(end, last));
        var periods = new List<ChargingPeriod>();
        for (var i = 1; i < points.Count; i++)
            periods.Add(new ChargingPeriod(points[i - 1].At, points[i].At, Math.Round(points[i].Kwh - points[i - 1].Kwh, Decimals)));
        return periods;
    }

    private static JObject Period(ChargingPeriod p, string tariffId) => new()
    {
        ["start_date_time"] = Ocpi(p.From),
        ["dimensions"] = p.Kwh > 0
            ? new JArray(Dimension("ENERGY", p.Kwh), Dimension("TIME", Hours(p.To - p.From)))
            : new JArray(Dimension("PARKING_TIME", Hours(p.To - p.From))),
        ["tariff_id"] = tariffId,
    };

    private static JObject Dimension(string type, double volume) => new() { ["type"] = type, ["volume"] = volume };

    private static JObject Token(string? idTag, string countryCode, string partyId) => new()
    {
        ["country_code"] = countryCode,
        ["party_id"] = partyId,
        ["uid"] = idTag ?? "UNKNOWN",
        ["type"] = idTag is null ? "OTHER" : "RFID",
        ["contract_id"] = idTag ?? "UNKNOWN",
    };

    private static JObject Location(CdrInputs input)
    {
        var n = input.Network;
        var currentType = input.Connector.Str("currentType") ?? "AC_phase3_LN";
        return new JObject
        {
            ["id"] = n.Str("id"),
            ["name"] = n.Str("name"),
            ["address"] = n.Str("address") ?? "",
            ["city"] = n.Str("city") ?? "",
            ["postal_code"] = n.Str("zipCode"),
            ["state"] = n.Str("state"),
            ["country"] = n.Str("country") ?? "",
            ["coordinates"] = n.Double("latitude") is { } lat && n.Double("longitude") is { } lon
                ? new JObject { ["latitude"] = lat.ToString("0.000000", CultureInfo.InvariantCulture), ["longitude"] = lon.ToString("0.000000", CultureInfo.InvariantCulture) }
                : null,
            ["evse_uid"] = input.ChargePoint.Str("id"),
            ["evse_id"] = input.ChargePoint.Str("ocppId") ?? input.ChargePoint.Str("name"),
            ["connector_id"] = input.Session.Long("connectorNumber")?.ToString(CultureInfo.InvariantCulture),
            ["connector_standard"] = input.Connector.Str("plugType") switch
            {
                "CCS1" => "IEC_62196_T1_COMBO",
                "CCS2" => "IEC_62196_T2_COMBO",
                "CHAdeMO" => "CHADEMO",
                "GB/T" => currentType == "DC" ? "GBT_DC" : "GBT_AC",
                "Type 1" => "IEC_62196_T1",
                "Tesla" => "TESLA_S",
                _ => "IEC_62196_T2",
            },
            ["connector_format"] = currentType == "DC" ? "CABLE" : "SOCKET",
            ["connector_power_type"] = currentType switch
            {
                "DC" => "DC",
                "AC_phase1" => "AC_1_PHASE",
                _ => "AC_3_PHASE",
            },
        };
    }

    /// <summary>The flat energy tariff the CDR was priced with, as an OCPI tariff (vat in percent).</summary>
    private static JObject Tariff(string id, string currency, double pricePerKwh, double tax, string countryCode, string partyId, DateTimeOffset now) => new()
    {
        ["country_code"] = countryCode,
        ["party_id"] = partyId,
        ["id"] = id,
        ["currency"] = currency,
        ["elements"] = new JArray(new JObject
        {
            ["price_components"] = new JArray(new JObject
            {
                ["type"] = "ENERGY", ["price"] = pricePerKwh, ["vat"] = Math.Round(tax * 100, Decimals), ["step_size"] = 1,
            }),
        }),
        ["last_updated"] = Ocpi(now),
    };

    /// <summary>OCPI's CountryCode is ISO 3166 alpha-2; a network's free-text country that is not one gives "ZZ" (unknown).</summary>
    private static string CountryCode(string? country) =>
        country is { Length: 2 } c && c.All(char.IsAsciiLetter) ? c.ToUpperInvariant() : "ZZ";

    private static double Hours(TimeSpan span) => Math.Round(span.TotalHours, Decimals);

    private static string Ocpi(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
