using Cms.Core.Auth;
using Cms.Core.Domain.ChargePoints;
using Cms.Core.Resources;
using Dapper;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Cms.Core.Domain.Ocpp;

/// <summary>
/// /v2/ocpp_messages: reads the frame log, and takes frames from operators and integrators: CSMS→charger calls are sent
/// to the charger (or queued while it is offline), charger→CSMS calls are processed as if the charger had sent them.
/// </summary>
public sealed class OcppMessageService(CoreContext core, OcppMessageLog log, ChargerCommands commands,
    IChargerMessageProcessor processor) : ResourceService(core, OcppMessageResource.Spec)
{
    private const string BothWays = "DataTransfer";

    /// <summary>The body of POST /v2/ocpp_messages/.</summary>
    public static readonly IReadOnlyList<FieldSpec> SendFields =
    [
        F.Id("chargePointId") with { Required = true, Nullable = false },
        new("body", FieldType.Json) { Required = true, Nullable = false },
        F.Str("url", 2048),
        F.Enum("source", OcppMessageResource.Sources) with { Default = "API", Nullable = false },
        F.Bool("sendToCharger", false) with { Nullable = false },
        F.Str("operationType", 64),
        F.Enum("protocol", "ocpp1.6", "ocpp2.0.1") with { Default = "ocpp1.6", Nullable = false },
    ];

    public override async Task<(List<JObject> Items, long Total)> ListAsync(Caller caller, ListRequest request)
    {
        await log.FlushAsync(); // a reader sees every frame logged before the request
        var (rows, total) = await Core.Db.ReadAsync(conn => OcppMessageList.ListAsync(conn, Spec, caller.CustomerId, request));
        return (rows.Select(Render).ToList(), total);
    }

    /// <summary>POST /v2/ocpp_messages/: one frame or an array of frames for a charge point.</summary>
    public override async Task<JObject> CreateAsync(Caller caller, JToken? body)
    {
        var values = BodyValidator.Validate(body, SendFields, isCreate: true);
        var charger = await ChargerAsync(caller, "chargePointId", "id", (string)values["chargePointId"]!);
        var frames = Frames((JToken)values["body"]!);
        // Without an explicit protocol, the one the charger last connected with (1.6 if it never did).
        var protocol = (body as JObject)?["protocol"] is { Type: not JTokenType.Null } ? (string)values["protocol"]! : await ProtocolOfAsync(charger);
        var results = new JArray();
        foreach (var frame in frames)
            results.Add(await HandleAsync(charger, frame, protocol, (string)values["source"]!,
                (bool)values["sendToCharger"]!, (string?)values.GetValueOrDefault("url")));
        return new JObject { ["chargePointId"] = charger.ChargePointId, ["messages"] = results };
    }

    /// <summary>POST /v2/ocpp_messages/{ocppId}: the body is the frame, or a JSON string holding it (the spec's example).</summary>
    public async Task<JObject> SendByOcppIdAsync(Caller caller, string ocppId, JToken? body)
    {
        if (body is JValue { Type: JTokenType.String } text)
        {
            try { body = JToken.Parse((string)text!); }
            catch (JsonReaderException) { throw ApiFailure.Invalid("body", "is not an OCPP-J frame"); }
        }
        var charger = await ChargerAsync(caller, "charger_ocpp_id", "ocppId", ocppId);
        var frame = Frames(body ?? throw ApiFailure.Invalid("body", "is required")).Single();
        return await HandleAsync(charger, frame, await ProtocolOfAsync(charger), "API", sendToCharger: true, url: null);
    }

    private Task<string> ProtocolOfAsync(ChargerAdmitted charger) => Core.Db.ReadAsync(async conn =>
        await conn.ExecuteScalarAsync<string?>("SELECT protocol FROM charge_points WHERE id = @id", new { id = charger.ChargePointId }) is "ocpp2.0.1"
            ? "ocpp2.0.1" : "ocpp1.6");

    private async Task<JObject> HandleAsync(ChargerAdmitted charger, JArray frame, string protocol, string source, bool sendToCharger, string? url)
    {
        var (messageId, action, payload) = ParseCall(frame);
        log.Append(new OcppMessageRecord(charger.CustomerId, charger.ChargePointId, charger.OcppId, Core.Clock.GetUtcNow(), source,
            "Call", action, messageId, protocol, frame.ToString(Formatting.None), url));
        var answer = new JObject { ["messageId"] = messageId, ["operationType"] = action, ["source"] = source };

        // DataTransfer goes both ways: with sendToCharger it is for the charger, otherwise as if the charger sent it.
        if (processor.IsChargerInitiated(protocol, action) && !(sendToCharger && action == BothWays))
        {
            try { answer["response"] = await processor.ProcessAsync(charger, protocol, action, payload); answer["status"] = ChargerCallOutcome.Answered; }
            catch (InvalidChargerCallException e) { throw ApiFailure.Invalid("body", e.Message); }
            return answer;
        }
        if (!sendToCharger)
        {
            answer["status"] = "Logged";
            return answer;
        }
        ChargerCallOutcome outcome;
        try
        {
            processor.CheckOutgoingCall(protocol, action, payload);
            outcome = await commands.SendOrQueueAsync(charger.CustomerId, charger.ChargePointId, action, payload);
        }
        catch (InvalidChargerCallException e) { throw ApiFailure.Invalid("body", e.Message); }
        answer["status"] = outcome.Status;
        answer["response"] = outcome.Result;
        answer["errorCode"] = outcome.ErrorCode;
        answer["errorDescription"] = outcome.ErrorDescription;
        return answer;
    }

    /// <summary>The charge point addressed by id or ocppId, in the caller's customer, as the charger it is.</summary>
    private async Task<ChargerAdmitted> ChargerAsync(Caller caller, string field, string column, string value)
    {
        var cp = await Core.Db.ReadAsync(conn => conn.QueryFirstOrDefaultAsync<(string Id, string NetworkId, string? OcppId)?>(
            $"SELECT id, networkId, ocppId FROM charge_points WHERE customerId = @customerId AND {ResourceStore.Quote(column)} = @value",
            new { customerId = caller.CustomerId, value }));
        if (cp is not { } found) throw ApiFailure.NotFound(ChargePointResource.Spec.Name, value);
        if (found.OcppId is null) throw ApiFailure.Invalid(field, "the charge point has no ocppId");
        return new ChargerAdmitted(caller.CustomerId, found.Id, found.NetworkId, found.OcppId, Created: false);
    }

    private static List<JArray> Frames(JToken body) => body switch
    {
        JArray { Count: > 0 } a when a.All(x => x is JArray) => a.Cast<JArray>().ToList(),
        JArray a => [a],
        _ => throw ApiFailure.Invalid("body", "must be an OCPP-J frame [2, messageId, action, payload] or a list of them"),
    };

    private static (string MessageId, string Action, JObject Payload) ParseCall(JArray frame)
    {
        if (frame.Count != 4 || frame[0] is not JValue { Value: 2L } // not a cast: 2^63 would overflow it
            || frame[1].Type != JTokenType.String || frame[2].Type != JTokenType.String || frame[3] is not JObject payload)
            throw ApiFailure.Invalid("body", "must be a CALL frame [2, \"messageId\", \"Action\", {payload}]");
        return ((string)frame[1]!, (string)frame[2]!, payload);
    }
}
