namespace Cms.Optimizer.Tests;

/// <summary>Defaults for unknown needs and departures: quantiles of the past (energy the 40th percentile, dwell the
/// median), given what a session already took or stayed.</summary>
public class SessionHistoryTests
{
    private static readonly SessionHistory History = new([2, 4, 6, 8, 20], [1, 2, 3, 9, 10]);

    [Fact]
    public void WithNothingTakenYetTheDefaultIsThePlainQuantile()
    {
        Assert.Equal(6, History.MedianEnergyKwh);
        // The 40th percentile of 2, 4, 6, 8, 20: 1.6 steps up the order, 4 + 0.6 × 2.
        Assert.Equal(5.2, History.RemainingEnergyKwh(0)!.Value, 9);
        Assert.Equal(3, History.MedianDwellHours);
    }

    [Fact]
    public void WhatWasAlreadyTakenShiftsTheDefaultToTheSessionsThatWentFurther()
    {
        // Past 5 kWh only 6, 8 and 20 remain: their 40th percentile is 7.6, so 2.6 kWh more.
        Assert.Equal(2.6, History.RemainingEnergyKwh(5)!.Value, 9);
        // Plugged in for 4 h: only the 9 h and 10 h stays remain, median 9.5, so 5.5 h more.
        Assert.Equal(5.5, History.RemainingHours(4));
    }

    [Fact]
    public void BeyondEverythingSeenThereIsNoDefault()
    {
        Assert.Null(History.RemainingEnergyKwh(25));
        Assert.Null(new SessionHistory([], []).MedianDwellHours);
    }
}
