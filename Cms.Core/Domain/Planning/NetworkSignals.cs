using System.Data.Common;
using Cms.Core.Domain.DrEvents;
using Cms.Core.Domain.Networks;
using Cms.Core.Resources;
using Dapper;

namespace Cms.Core.Domain.Planning;

/// <summary>A price constraint: when the energy price reaches <see cref="EnergyPrice"/>, only this ratio of the network is available.</summary>
public sealed record PriceConstraint(double EnergyPrice, double MaxCapacityRatio);

/// <summary>
/// The optimizer's view of one network's external signals, one value per period
/// [Start + k·Period, Start + (k+1)·Period). Limits are raw: the optimizer still applies maxCapacityBuffer,
/// reservedPower, baseload and solar itself (Σ limits ≤ GridLimit·(1−buffer) − Baseload + Solar).
/// </summary>
public sealed class NetworkSignals
{
    /// <summary>A meter value describes the present, not the future: it holds until the next sample, at most this long.</summary>
    public static readonly TimeSpan MeterHold = TimeSpan.FromMinutes(15);

    public required string NetworkId { get; init; }
    public required DateTimeOffset Start { get; init; }
    public required TimeSpan Period { get; init; }
    public required int Periods { get; init; }
    public required double NetworkMaxCapacityKw { get; init; }
    public required double MaxCapacityBuffer { get; init; }

    /// <summary>Capacity before DR: network maxCapacity or the winning /v2/capacities interval; the lowest value inside the period.</summary>
    public required double[] CapacityKw { get; init; }
    /// <summary>Load Amount DR reduction; the highest value inside the period.</summary>
    public required double[] DrLoadReductionKw { get; init; }
    /// <summary>max(0, capacity − Load Amount DR), the lowest value inside the period: the hard import limit.</summary>
    public required double[] GridLimitKw { get; init; }
    /// <summary>V2G DR: power the network's vehicles should provide to the grid; time-weighted average over the period.</summary>
    public required double[] V2gExportKw { get; init; }
    /// <summary>$/kWh, time-weighted over the priced part of the period; null where neither a price nor defaultEnergyPrice exists.</summary>
    public required double?[] Price { get; init; }
    public required bool PriceConstraintsActive { get; init; }
    /// <summary>Empty unless the network's priceConstraintsActive.</summary>
    public required IReadOnlyList<PriceConstraint> PriceConstraints { get; init; }
    /// <summary>Share of GridLimitKw available at the period's price (1 where no constraint applies). A soft constraint.</summary>
    public required double[] PriceCapacityRatio { get; init; }
    public required bool BaseloadActive { get; init; }
    /// <summary>Zeros unless baseloadActive.</summary>
    public required double[] BaseloadKw { get; init; }
    public required bool SolarActive { get; init; }
    /// <summary>Zeros unless solarActive.</summary>
    public required double[] SolarKw { get; init; }

    public DateTimeOffset PeriodStart(int k) => Start + k * Period;

    public static async Task<NetworkSignals> LoadAsync(DbConnection conn, string customerId, string networkId,
        DateTimeOffset start, int periods, TimeSpan period)
    {
        if (periods < 0) throw new ArgumentOutOfRangeException(nameof(periods));
        if (period <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(period));
        var network = await ResourceStore.GetStoredAsync(conn, NetworkResource.Spec, customerId, networkId)
            ?? throw ApiFailure.NotFound(NetworkResource.Spec.Name, networkId);
        var end = start + periods * period;

        var networkMax = network.Double("maxCapacity") ?? 0;
        var capacities = await CapacitiesAsync(conn, customerId, networkId, start, end);
        var loadDr = await DrEventsAsync(conn, customerId, networkId, DrEventResource.LoadAmount, start, end);
        var v2gDr = await DrEventsAsync(conn, customerId, networkId, DrEventResource.V2G, start, end);
        var prices = await PricesAsync(conn, customerId, networkId, start, end);
        var defaultPrice = network.Double("defaultEnergyPrice");
        var constraintsActive = network.Bool("priceConstraintsActive");
        var constraints = constraintsActive ? await PriceConstraintsAsync(conn, customerId, networkId) : [];
        var baseloadActive = network.Bool("baseloadActive");
        var solarActive = network.Bool("solarActive");
        var baseload = baseloadActive ? await SamplesAsync(conn, "baseloads", customerId, networkId, start, end) : StepSeries.Empty;
        var solar = solarActive ? await SamplesAsync(conn, "solar_meterings", customerId, networkId, start, end) : StepSeries.Empty;
        var baseloadPeak = network.Double("baseloadPeak");
        var lastBaseload = baseloadActive ? await LatestSampleAsync(conn, "baseloads", customerId, networkId, start) : null;

        var signals = new NetworkSignals
        {
            NetworkId = networkId, Start = start, Period = period, Periods = periods,
            NetworkMaxCapacityKw = networkMax,
            MaxCapacityBuffer = network.Double("maxCapacityBuffer") ?? 0,
            CapacityKw = new double[periods], DrLoadReductionKw = new double[periods], GridLimitKw = new double[periods],
            V2gExportKw = new double[periods], Price = new double?[periods],
            PriceConstraintsActive = constraintsActive, PriceConstraints = constraints, PriceCapacityRatio = new double[periods],
            BaseloadActive = baseloadActive, BaseloadKw = new double[periods],
            SolarActive = solarActive, SolarKw = new double[periods],
        };
        for (var k = 0; k < periods; k++)
        {
            var (a, b) = (start + k * period, start + (k + 1) * period);
            // Capacities: "a continuous time series stream using the network's maxCapacity for times where no [capacity] exist
            // and resolving capacity overlaps based on their updated time" (/v2/profiles/capacities/). Lowest in the period: a hard limit.
            signals.CapacityKw[k] = capacities.Over(a, b, networkMax).Min(p => p.Value!.Value);
            // Load Amount DR: "reducing the available variable network capacity by a given load amount for a certain time period";
            // gaps are 0.0 and overlaps resolve by updated then created time (/v2/profiles/dr_events/).
            signals.DrLoadReductionKw[k] = loadDr.Over(a, b, 0).Max(p => p.Value!.Value);
            signals.GridLimitKw[k] = StepSeries.Combine(capacities, networkMax, loadDr, 0, a, b, (c, r) => Math.Max(0, c - r))
                .Min(p => p.Value!.Value);
            // V2G DR: "power generation through discharging vehicles … by a given discharge amount"; "If V2G, the value is the provided power".
            signals.V2gExportKw[k] = v2gDr.Average(a, b, 0) ?? 0;
            // Prices: "using the network's defaultEnergyPrice for times where no prices are available and resolving price overlaps
            // based on their creation time" (/v2/profiles/prices/).
            signals.Price[k] = prices.Average(a, b, defaultPrice);
            // Price constraints: "a percentage of the network to be made available at a particular price level", only
            // "If [priceConstraintsActive] is set to True"; every constraint whose price level is reached applies, the smallest ratio wins.
            signals.PriceCapacityRatio[k] = signals.Price[k] is { } price
                ? constraints.Where(c => price >= c.EnergyPrice).Select(c => c.MaxCapacityRatio).DefaultIfEmpty(1).Min()
                : 1;
            // Baseload: "Activate the consideration of the baseload power as part of the overall network load"; where no recent
            // measurement holds, baseloadPeak ("Worst case estimate of the maximum baseload power"), else the latest measurement.
            if (baseloadActive)
                signals.BaseloadKw[k] = baseload.Average(a, b, baseloadPeak ?? LatestAtOrBefore(baseload, a) ?? lastBaseload ?? 0) ?? 0;
            // Solar: "The resulting estimated solar power is treated as additional capacity"; no forecast yet, so none is
            // assumed where no recent measurement holds.
            if (solarActive)
                signals.SolarKw[k] = solar.Average(a, b, 0) ?? 0;
        }
        return signals;
    }

    private static double? LatestAtOrBefore(StepSeries series, DateTimeOffset t) =>
        series.Segments.LastOrDefault(s => s.Start <= t) is { Value: { } v } ? v : null;

    /// <summary>Capacity intervals overlapping [from, to); the most recently updated wins (then created, then id).</summary>
    public static async Task<StepSeries> CapacitiesAsync(DbConnection conn, string customerId, string networkId,
        DateTimeOffset from, DateTimeOffset to) =>
        StepSeries.FromIntervals(await IntervalsAsync(conn, "capacities", "maxCapacity", "updated || '|' || created || '|' || id",
            customerId, networkId, from, to));

    /// <summary>DR events of one type overlapping [from, to); "resolving … overlaps based on the … updated and created times".</summary>
    public static async Task<StepSeries> DrEventsAsync(DbConnection conn, string customerId, string networkId, string type,
        DateTimeOffset from, DateTimeOffset to) =>
        StepSeries.FromIntervals(await IntervalsAsync(conn, "dr_events", "value", "updated || '|' || created || '|' || id",
            customerId, networkId, from, to, "AND \"type\" = @type", type));

    /// <summary>Prices overlapping [from, to); "resolving price overlaps based on their creation time".</summary>
    public static async Task<StepSeries> PricesAsync(DbConnection conn, string customerId, string networkId,
        DateTimeOffset from, DateTimeOffset to) =>
        StepSeries.FromIntervals(await IntervalsAsync(conn, "prices", "price", "created || '|' || id",
            customerId, networkId, from, to));

    public static async Task<List<PriceConstraint>> PriceConstraintsAsync(DbConnection conn, string customerId, string networkId) =>
        (await conn.QueryAsync<(double, double)>(
            "SELECT \"energyPrice\", \"maxCapacityRatio\" FROM price_constraints WHERE customerId = @customerId AND \"networkId\" = @networkId " +
            "ORDER BY \"energyPrice\"", new { customerId, networkId }))
        .Select(r => new PriceConstraint(r.Item1, r.Item2)).ToList();

    /// <summary>Samples that can hold inside [from, to): from MeterHold before it; equal timestamps: the latest created wins.</summary>
    public static async Task<StepSeries> SamplesAsync(DbConnection conn, string table, string customerId, string networkId,
        DateTimeOffset from, DateTimeOffset to)
    {
        var rows = await conn.QueryAsync<(string At, double Value, string Rank)>(
            $"SELECT \"timestamp\", \"value\", created || '|' || id FROM {table} WHERE customerId = @customerId AND \"networkId\" = @networkId " +
            "AND \"timestamp\" >= @from AND \"timestamp\" < @to",
            new { customerId, networkId, from = Iso.Format(from - MeterHold), to = Iso.Format(to) });
        return StepSeries.FromSamples(rows.Select(r => (Iso.Parse(r.At), r.Value, r.Rank)), MeterHold);
    }

    private static async Task<double?> LatestSampleAsync(DbConnection conn, string table, string customerId, string networkId,
        DateTimeOffset atOrBefore) =>
        (await conn.QueryAsync<double>(
            $"SELECT \"value\" FROM {table} WHERE customerId = @customerId AND \"networkId\" = @networkId AND \"timestamp\" <= @t " +
            "ORDER BY \"timestamp\" DESC, created DESC, id DESC LIMIT 1",
            new { customerId, networkId, t = Iso.Format(atOrBefore) })).Cast<double?>().FirstOrDefault();

    private static async Task<IEnumerable<RankedInterval>> IntervalsAsync(DbConnection conn, string table, string valueColumn,
        string rankSql, string customerId, string networkId, DateTimeOffset from, DateTimeOffset to, string extra = "", string? type = null)
    {
        var rows = await conn.QueryAsync<(string Start, string End, double Value, string Rank)>(
            $"SELECT \"start\", \"end\", \"{valueColumn}\", {rankSql} FROM {table} " +
            $"WHERE customerId = @customerId AND \"networkId\" = @networkId AND \"end\" > @from AND \"start\" < @to {extra}",
            new { customerId, networkId, from = Iso.Format(from), to = Iso.Format(to), type });
        return rows.Select(r => new RankedInterval(Iso.Parse(r.Start), Iso.Parse(r.End), r.Value, r.Rank));
    }
}
