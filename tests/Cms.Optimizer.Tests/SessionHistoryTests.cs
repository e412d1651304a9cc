namespace Cms.Optimizer.Tests;

/// <summary>Defaults for unknown needs and departures: medians of the past, given what a session already took or stayed.</summary>
public class SessionHistoryTests
{
    private static readonly SessionHistory History = new([2, 4, 6, 8, 20], [1, 2, 3, 9, 10]);

    [Fact]
    public void WithNothingTakenYetTheDefaultIsThePlainMedian()
    {
        Assert.Equal(6, History.MedianEnergyKwh);
        Assert.Equal(3, History.MedianDwellHours);
    }

    [Fact]
    public void WhatWasAlreadyTakenShiftsTheDefaultToTheSessionsThatWentFurther()
    {
        // Past 5 kWh only 6, 8 and 20 remain: median 8, so 3 kWh more.
        Assert.Equal(3, History.RemainingEnergyKwh(5));
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
