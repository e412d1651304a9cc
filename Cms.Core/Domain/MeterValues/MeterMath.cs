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
    public static double? PowerKw(IReadOnlyList<Sample> samples) =>
        Total(samples, Measurands.PowerActiveImport, ToKw);

    /// <summary>The Energy.Active.Import.Register reading (kWh) of one meter value; null when it has none.</summary>
    public static double? RegisterKwh(IReadOnlyList<Sample> samples) =>
        Total(samples, Measurands.EnergyActiveImportRegister, ToKwh);

    /// <summary>
    /// The whole-connector value of a measurand: the sample without a phase when there is one, else the sum over
    /// L1, L2, L3 (L1-N counts as L1; N and line-to-line samples are not separate loads; the first sample of each line,
    /// summed in the order the lines first appear). Outlet samples are preferred (what the car gets); other locations
    /// are used only when there is no Outlet sample. Loops, no LINQ: it runs for every charger message.
    /// </summary>
    public static double? Total(IReadOnlyList<Sample> samples, string measurand, Func<double, string?, double?> convert)
    {
        bool any = false, outlet = false;
        for (var i = 0; i < samples.Count; i++)
            if (samples[i] is var s && s.Measurand == measurand)
            {
                any = true;
                outlet |= s.Location == Measurands.DefaultLocation;
            }
        if (!any) return null;
        bool Chosen(Sample s) => s.Measurand == measurand && (!outlet || s.Location == Measurands.DefaultLocation);
        for (var i = 0; i < samples.Count; i++)
            if (samples[i] is var s && Chosen(s) && s.Phase is null) return convert(s.Value, s.Unit);
        Span<int> lines = stackalloc int[3]; // the lines seen, in order of first appearance (1, 2, 3)
        Span<double> values = stackalloc double[3];
        var seen = 0;
        for (var i = 0; i < samples.Count; i++)
        {
            var s = samples[i];
            if (!Chosen(s) || LinePhase(s.Phase) is not { } phase || convert(s.Value, s.Unit) is not { } value) continue;
            var line = phase[1] - '0';
            if (lines[..seen].Contains(line)) continue;
            lines[seen] = line;
            values[seen++] = value;
        }
        if (seen == 0) return null;
        var sum = 0.0;
        foreach (var value in values[..seen]) sum += value;
        return sum;
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
