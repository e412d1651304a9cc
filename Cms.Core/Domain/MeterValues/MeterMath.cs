namespace Cms.Core.Domain.MeterValues;

/// <summary>Pure arithmetic on sampled values: unit conversion and "the charger's total" from per-phase samples.</summary>
public static class MeterMath
{
    /// <summary>Power in kW from W or kW; null for any other unit.</summary>
    public static double? ToKw(double value, string? unit) => unit switch
    {
        "W" => value / 1000,
        "kW" => value,
        _ => null,
    };

    /// <summary>Energy in kWh from Wh or kWh; null for any other unit.</summary>
    public static double? ToKwh(double value, string? unit) => unit switch
    {
        "Wh" => value / 1000,
        "kWh" => value,
        _ => null,
    };

    /// <summary>The load (kW) one meter value reports, from its Power.Active.Import samples; null when it has none.</summary>
    public static double? PowerKw(IEnumerable<Sample> samples) =>
        Total(samples, Measurands.PowerActiveImport, ToKw);

    /// <summary>The Energy.Active.Import.Register reading (kWh) of one meter value; null when it has none.</summary>
    public static double? RegisterKwh(IEnumerable<Sample> samples) =>
        Total(samples, Measurands.EnergyActiveImportRegister, ToKwh);

    /// <summary>
    /// The whole-connector value of a measurand: the sample without a phase when there is one, else the sum over
    /// L1, L2, L3 (L1-N counts as L1; N and line-to-line samples are not separate loads). Outlet samples are
    /// preferred (what the car gets); other locations are used only when there is no Outlet sample.
    /// </summary>
    public static double? Total(IEnumerable<Sample> samples, string measurand, Func<double, string?, double?> convert)
    {
        var matching = samples.Where(s => s.Measurand == measurand).ToList();
        var outlet = matching.Where(s => s.Location == Measurands.DefaultLocation).ToList();
        var chosen = outlet.Count > 0 ? outlet : matching;
        if (chosen.Count == 0) return null;
        if (chosen.FirstOrDefault(s => s.Phase is null) is { } total) return convert(total.Value, total.Unit);
        var perPhase = chosen
            .Select(s => (Phase: LinePhase(s.Phase), Value: convert(s.Value, s.Unit)))
            .Where(x => x.Phase is not null && x.Value is not null)
            .GroupBy(x => x.Phase)
            .Select(g => g.First().Value!.Value)
            .ToList();
        return perPhase.Count > 0 ? perPhase.Sum() : null;
    }

    /// <summary>L1, L2 or L3 for a phase that carries one line's load; null for N and line-to-line.</summary>
    public static string? LinePhase(string? phase) => phase switch
    {
        "L1" or "L1-N" => "L1",
        "L2" or "L2-N" => "L2",
        "L3" or "L3-N" => "L3",
        _ => null,
    };
}
