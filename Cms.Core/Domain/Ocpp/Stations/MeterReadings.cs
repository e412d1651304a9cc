using System.Globalization;
using Cms.Core.Domain.MeterValues;
using Newtonsoft.Json.Linq;

namespace Cms.Core.Domain.Ocpp.Stations;

/// <summary>Readings picked out of a meterValue array (Core's shape: value as text, unit Wh or kWh).</summary>
public static class MeterReadings
{
    /// <summary>The energy register (kWh) a transaction started at: its Transaction.Begin sample, else the first register sent.</summary>
    public static double? StartRegisterKwh(JArray meterValue)
    {
        var registers = meterValue.OfType<JObject>().SelectMany(mv => mv["sampledValue"] as JArray ?? []).OfType<JObject>()
            .Where(sv => ((string?)sv["measurand"] ?? Measurands.EnergyActiveImportRegister) == Measurands.EnergyActiveImportRegister
                && sv["phase"] is null)
            .ToList();
        var begin = registers.FirstOrDefault(sv => (string?)sv["context"] == "Transaction.Begin") ?? registers.FirstOrDefault();
        if (begin is null || !double.TryParse((string?)begin["value"], NumberStyles.Float, CultureInfo.InvariantCulture, out var value)) return null;
        return (string?)begin["unit"] == "kWh" ? value : value / 1000.0;
    }
}
