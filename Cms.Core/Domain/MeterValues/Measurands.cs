namespace Cms.Core.Domain.MeterValues;

/// <summary>The measurands, units and OCPP sampled-value enums the API accepts, and the defaults OCPP implies.</summary>
public static class Measurands
{
    public const string PowerActiveImport = "Power.Active.Import";
    public const string EnergyActiveImportRegister = "Energy.Active.Import.Register";

    private static readonly string[] Power = ["W", "kW"];
    private static readonly string[] Energy = ["Wh", "kWh"];
    // The spec lists varh/kvarh for reactive power; OCPP's own units for it are var/kvar. Both are accepted.
    private static readonly string[] ReactivePower = ["varh", "kvarh", "var", "kvar"];
    private static readonly string[] ReactiveEnergy = ["varh", "kvarh"];
    private static readonly string[] Current = ["A"];

    /// <summary>Measurand → accepted units, the first being the default when none is sent; empty = the measurand has no unit.</summary>
    public static readonly IReadOnlyDictionary<string, string[]> Units = new Dictionary<string, string[]>
    {
        [PowerActiveImport] = Power,
        ["Power.Active.Export"] = Power,
        ["Power.Offered"] = Power,
        ["Power.Reactive.Export"] = ReactivePower,
        ["Power.Reactive.Import"] = ReactivePower,
        ["Power.Factor"] = [],
        [EnergyActiveImportRegister] = Energy,
        ["Energy.Active.Export.Register"] = Energy,
        // The spec gives Wh/kWh for reactive registers; varh/kvarh are what OCPP chargers send. Import is OCPP's, missing from the spec's list.
        ["Energy.Reactive.Export.Register"] = ["Wh", "kWh", "varh", "kvarh"],
        ["Energy.Reactive.Import.Register"] = ["Wh", "kWh", "varh", "kvarh"],
        ["Energy.Active.Export.Interval"] = Energy,
        ["Energy.Active.Import.Interval"] = Energy,
        ["Energy.Reactive.Export.Interval"] = ReactiveEnergy,
        ["Energy.Reactive.Import.Interval"] = ReactiveEnergy,
        ["Current.Export"] = Current,
        ["Current.Import"] = Current,
        ["Current.Offered"] = Current,
        ["Frequency"] = [],
        ["RPM"] = [],
        ["SoC"] = ["Percent"],
        ["Temperature"] = ["Celsius", "K", "Fahrenheit"],
        ["Voltage"] = ["V"],
    };

    public static readonly string[] Contexts =
        ["Sample.Periodic", "Sample.Clock", "Transaction.Begin", "Transaction.End", "Interruption.Begin", "Interruption.End", "Trigger", "Other"];
    public static readonly string[] Formats = ["Raw", "SignedData"];
    public static readonly string[] Locations = ["Outlet", "Inlet", "Body", "Cable", "EV"];
    public static readonly string[] Phases = ["L1", "L2", "L3", "N", "L1-N", "L2-N", "L3-N", "L1-L2", "L2-L3", "L3-L1"];

    /// <summary>OCPP's defaults for an omitted field.</summary>
    public const string DefaultMeasurand = EnergyActiveImportRegister;
    public const string DefaultContext = "Sample.Periodic";
    public const string DefaultFormat = "Raw";
    public const string DefaultLocation = "Outlet";
}
