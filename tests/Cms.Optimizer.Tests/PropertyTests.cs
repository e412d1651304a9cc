namespace Cms.Optimizer.Tests;

/// <summary>
/// The hard invariants over many seeded random networks (all objectives, min load, step, buffer, baseload, solar,
/// reserved power, departures, needs, measured draw, V2G events). A failure message names the seed to replay.
/// </summary>
public class PropertyTests
{
    public static TheoryData<int> Shards() => new() { 0, 1, 2, 3 };

    [Theory]
    [MemberData(nameof(Shards))]
    public void InvariantsHoldOnRandomNetworks(int shard)
    {
        const int perShard = 3000; // 12,000 networks in total
        for (int k = 0; k < perShard; k++)
        {
            int seed = shard * perShard + k;
            var input = RandomNetworks.Create(seed);
            var result = SmartChargingOptimizer.Optimize(input);
            var problem = Invariants.Check(input, result);
            Assert.True(problem is null, $"seed {seed} ({input.Objective}): {problem}");
        }
    }

    [Fact]
    public void InvariantsHoldForTheFairHorizonPlan()
    {
        // The same random networks as load sharing with every need known and no opt-out: the path planned over the
        // whole horizon (the general generator rarely hits it with many sessions).
        for (int seed = 0; seed < 3000; seed++)
        {
            var input = RandomNetworks.Create(seed);
            var rng = new Random(seed);
            var sessions = input.Sessions.Select(s => s with
            {
                Priority = 1 + rng.Next(5),
                EnergyNeedKwh = s.EnergyNeedKwh ?? Math.Round(rng.NextDouble() * 60, 2),
                DeliveredKwh = rng.Next(2) == 0 ? Math.Round(rng.NextDouble() * 30, 2) : null,
            }).ToList();
            var fair = input with { Sessions = sessions, Objective = Objective.LoadSharing };
            var problem = Invariants.Check(fair, SmartChargingOptimizer.Optimize(fair));
            Assert.True(problem is null, $"seed {seed}: {problem}");
        }
    }

    [Fact]
    public void InvariantsHoldWhenHistoryStandsInForUnknownNeeds()
    {
        // Site with history: some needs are history defaults, some still unknown (beyond anything seen); all planned
        // over the horizon.
        for (int seed = 0; seed < 3000; seed++)
        {
            var input = RandomNetworks.Create(seed);
            var rng = new Random(seed + 7);
            var sessions = input.Sessions.Select(s => s with
            {
                Priority = 1 + rng.Next(5),
                EnergyNeedKwh = rng.Next(3) == 0 ? null : s.EnergyNeedKwh ?? Math.Round(rng.NextDouble() * 60, 2),
                DeliveredKwh = rng.Next(2) == 0 ? Math.Round(rng.NextDouble() * 30, 2) : null,
            }).ToList();
            var fair = input with { Network = input.Network with { NeedsFromHistory = true }, Sessions = sessions, Objective = Objective.LoadSharing };
            var problem = Invariants.Check(fair, SmartChargingOptimizer.Optimize(fair));
            Assert.True(problem is null, $"seed {seed}: {problem}");
        }
    }

    [Fact]
    public void RandomNetworksAreDeterministic()
    {
        for (int seed = 0; seed < 200; seed++)
        {
            var a = SmartChargingOptimizer.Optimize(RandomNetworks.Create(seed));
            var b = SmartChargingOptimizer.Optimize(RandomNetworks.Create(seed));
            for (int k = 0; k < a.Schedules.Count; k++) Assert.Equal(a.Schedules[k].LimitsKw, b.Schedules[k].LimitsKw);
        }
    }
}

internal static class RandomNetworks
{
    public static OptimizationInput Create(int seed)
    {
        var rng = new Random(seed);
        int periods = 1 + rng.Next(24);
        double Pick(params double[] xs) => xs[rng.Next(xs.Length)];
        double[] Series(double scale) => Enumerable.Range(0, periods).Select(_ => Math.Round(rng.NextDouble() * scale, 3)).ToArray();
        var objective = (Objective)rng.Next(4);
        var net = new NetworkLimits
        {
            Periods = periods,
            PeriodHours = Pick(0.25, 0.25, 1.0 / 12, 1),
            GridLimitKw = Series(Pick(5, 30, 100, 400)),
            BufferFraction = Pick(0, 0.02, 0.05),
            BaseloadKw = rng.Next(3) == 0 ? Series(20) : null,
            SolarKw = rng.Next(3) == 0 ? Series(20) : null,
            Price = rng.Next(2) == 0 ? Series(0.5) : null,
            ReservedKw = Pick(0, 0, 2, 7.4),
            V2gExportKw = rng.Next(2) == 0 ? Series(Pick(0, 10, 30)).Select(x => rng.Next(3) == 0 ? x : 0).ToArray() : null,
            MinimumLoadKw = Pick(0, 1, 1.4, 4.2, 6),
            PowerStepKw = Pick(0, 0, 0.01, 0.1, 1, 0.23),
        };
        int cpCount = 1 + rng.Next(6);
        var cps = Enumerable.Range(0, cpCount).Select(c => new ChargePointLimit($"cp{c}", Pick(3, 7.4, 11, 15, 22, 50, 150))).ToList();
        int sessionCount = rng.Next(13);
        var sessions = Enumerable.Range(0, sessionCount).Select(k => new SessionInput
        {
            Id = $"s{rng.Next(1000):D3}-{k}",
            ChargePointId = cps[rng.Next(cpCount)].Id,
            MaxKw = Pick(0, 1, 3.7, 7.4, 11, 22, 50, 150),
            Priority = rng.Next(6),
            EnergyNeedKwh = rng.Next(4) == 0 ? null : Math.Round(rng.NextDouble() * 60, 2),
            DeparturePeriod = rng.Next(3) == 0 ? null : rng.Next(periods + 2),
            MeasuredKw = rng.Next(4) == 0 ? Math.Round(rng.NextDouble() * 11, 2) : null,
            OfferedKw = rng.Next(4) == 0 ? Math.Round(rng.NextDouble() * 11, 2) : null,
            MaxDischargeKw = rng.Next(2) == 0 ? Pick(0, 3, 7.4, 11) : 0,
            GroupPriority = rng.Next(3),
            PreviousLimitsKw = rng.Next(3) == 0 ? [Pick(0, 7.4)] : null,
        }).ToList();
        return new OptimizationInput(net, cps, sessions, objective);
    }
}

/// <summary>The fallback plan keeps every hard rule on the same random networks, whatever the previous limits were.</summary>
public class SafeFallbackTests
{
    [Fact]
    public void FallbackKeepsTheHardRules()
    {
        for (int seed = 0; seed < 3000; seed++)
        {
            var input = RandomNetworks.Create(seed);
            var rng = new Random(seed);
            // Previous limits that may be anything: too high, off-grid, longer or shorter than the horizon.
            var sessions = input.Sessions.Select(s => s with
            {
                PreviousLimitsKw = Enumerable.Range(0, rng.Next(input.Network.Periods + 3)).Select(_ => Math.Round(rng.NextDouble() * 60, 3)).ToArray(),
            }).ToList();
            var charging = input with { Sessions = sessions, Objective = input.Objective == Objective.VehicleToGrid ? Objective.Fleet : input.Objective };
            if (charging.Objective == Objective.Off) charging = charging with { Objective = Objective.LoadSharing };
            var problem = Invariants.Check(charging, SafeFallback.Scale(charging));
            Assert.True(problem is null, $"seed {seed}: {problem}");
        }
    }

    [Fact]
    public void FallbackKeepsThePreviousPlanWhenItStillFits()
    {
        var net = Build.Network(20, periods: 3);
        var r = SafeFallback.Scale(new OptimizationInput(net, [new ChargePointLimit("cp1", 100)],
            [Build.Session("a", previous: [5, 5, 5]), Build.Session("b", previous: [10, 0, 10])], Objective.Fleet));
        Assert.Equal(new[] { 5.0, 5, 5 }, r.Limits("a"));
        Assert.Equal(new[] { 10.0, 0, 10 }, r.Limits("b"));
    }

    [Fact]
    public void FallbackScalesThePreviousPlanDownToTheNewLimit()
    {
        var net = Build.Network(10, periods: 1);
        var r = SafeFallback.Scale(new OptimizationInput(net, [new ChargePointLimit("cp1", 100)],
            [Build.Session("a", previous: [10]), Build.Session("b", previous: [10])], Objective.Fleet));
        Assert.Equal(5, r.Limits("a")[0], 6);
        Assert.Equal(5, r.Limits("b")[0], 6);
    }
}
