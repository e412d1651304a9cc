using System.Diagnostics;
using Cms.Ocpp;
using Cms.Core.Domain.Delivery;
using Cms.Ocpp.Framing;
using Cms.Ocpp.V16;
using Cms.Ocpp.Schemas;
using Newtonsoft.Json.Linq;

namespace Cms.Ocpp.Bench;

/// <summary>
/// `--schema`: the CPU one message spends in framing and schema validation, measured alone (same frames as the load),
/// to set beside the host's CPU µs per message.
/// </summary>
public static class SchemaShare
{
    public static void Run(int iterations)
    {
        const string meterValues = """[2,"1","MeterValues",{"connectorId":1,"transactionId":7,"meterValue":[{"timestamp":"2026-01-01T00:00:00.000Z","sampledValue":[{"value":"7000","measurand":"Power.Active.Import","unit":"W"},{"value":"1234","measurand":"Energy.Active.Import.Register","unit":"Wh"}]}]}]""";
        const string status = """[2,"2","StatusNotification",{"connectorId":1,"errorCode":"NoError","status":"Charging","timestamp":"2026-01-01T00:00:00.000Z"}]""";
        var validator = new SchemaValidator();
        // Twice, printing the second pass: in the first, each method still runs unoptimized code until tiered compilation
        // replaces it, which made whatever was timed first look slow (MeterValues parse 12.6 µs, then 4.0 µs).
        foreach (var print in new[] { false, true })
        foreach (var (name, frame) in new[] { ("MeterValues", meterValues), ("StatusNotification", status) })
        {
            var call = (CallFrame)OcppFrameParser.Parse(frame).Frame!;
            validator.Validate(OcppVersion.Ocpp16, call.Action, SchemaKind.Request, call.Payload); // compile once
            var parse = Time(iterations, () => OcppFrameParser.Parse(frame));
            var validate = Time(iterations, () => validator.Validate(OcppVersion.Ocpp16, call.Action, SchemaKind.Request, call.Payload));
            var answer = new JObject();
            var validateAnswer = Time(iterations, () => validator.Validate(OcppVersion.Ocpp16, call.Action, SchemaKind.Response, answer));
            var serialize = Time(iterations, () => OcppFrameSerializer.Serialize(new CallResultFrame("1", answer)));
            if (print) Console.WriteLine($"{name,-18}: parse {parse,6:F1} µs | validate request {validate,6:F1} µs | validate answer {validateAnswer,5:F1} µs | " +
                $"serialize answer {serialize,5:F1} µs");
        }
        // A delivery run validates one SetChargingProfile per charger before sending it (96 quarter-hour periods here).
        var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var profile = new ChargingProfileRequest(1, 1001, "TxProfile", 0, 7, "W", start, start.AddHours(24),
            Enumerable.Range(0, 96).Select(k => new SchedulePeriod(k * 900, Math.Round(7400 - 13.3 * k, 1), null)).ToList());
        var setProfile = SetChargingProfile16.Payload(profile);
        var validateCall = Time(iterations / 10, () => validator.Validate(OcppVersion.Ocpp16, "SetChargingProfile", SchemaKind.Request, setProfile));
        var serializeCall = Time(iterations / 10, () => OcppFrameSerializer.Serialize(new CallFrame("1", "SetChargingProfile", setProfile)));
        Console.WriteLine($"SetChargingProfile: build {Time(iterations / 10, () => SetChargingProfile16.Payload(profile)),6:F1} µs | " +
            $"validate call {validateCall,6:F1} µs | serialize call {serializeCall,6:F1} µs");
    }

    private static double Time(int iterations, Action action)
    {
        for (var i = 0; i < 1000; i++) action();
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < iterations; i++) action();
        return clock.Elapsed.TotalMicroseconds / iterations;
    }
}
