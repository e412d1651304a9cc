using Cms.Core.Domain.MeterValues;
using Cms.Core.Domain.Ocpp;
using Cms.Ocpp.Connection;
using Cms.Ocpp.Framing;
using Cms.Ocpp.Schemas;
using Cms.Ocpp.V16;
using Cms.Ocpp.V201;
using Newtonsoft.Json.Linq;

namespace Cms.Ocpp.Csms;

/// <summary>
/// Routes a charger's call to the adapter of its protocol version. Also processes charger→CSMS calls relayed
/// through the REST API, with the same schema check a socket frame gets.
/// </summary>
public sealed class OcppDispatcher(Ocpp16Adapter v16, Ocpp201Adapter v201, SchemaValidator schemas) : IOcppCallHandler, IChargerMessageProcessor
{
    public Task<JObject> HandleAsync(OcppConnectionInfo conn, string action, JObject payload, CancellationToken ct) =>
        Dispatch((ChargerAdmitted)conn.AuthContext!, conn.Version, action, payload);

    private readonly Lazy<MeterValuesReader> _meterValues =
        new(() => new MeterValuesReader(schemas.Schema(OcppVersion.Ocpp16, "MeterValues", SchemaKind.Request)));

    /// <summary>1.6 MeterValues straight into their command (<see cref="MeterValuesReader"/>); every other frame the general way.</summary>
    public CallFrame? TryReadCall(OcppConnectionInfo conn, string text)
    {
        if (conn.Version != OcppVersion.Ocpp16 || !text.Contains("\"MeterValues\"", StringComparison.Ordinal)
            || _meterValues.Value.TryRead(text) is not { } read) return null;
        var charger = (ChargerAdmitted)conn.AuthContext!;
        return new CallFrame(read.MessageId, "MeterValues", [])
        {
            Command = new MeterValuesRequest(charger.ChargePointId, read.ConnectorId.ToString(System.Globalization.CultureInfo.InvariantCulture),
                null, read.TransactionId, read.MeterValues),
        };
    }

    public ValueTask<JObject> HandleCommandAsync(OcppConnectionInfo conn, CallFrame call, CancellationToken ct) => call.Command switch
    {
        MeterValuesRequest readings => v16.MeterValuesAsync((ChargerAdmitted)conn.AuthContext!, readings),
        _ => throw new NotSupportedException($"{call.Action} was read into a command no one answers"),
    };

    public bool IsChargerInitiated(string protocol, string action) =>
        OcppVersions.TryFromSubprotocol(protocol, out var version) && OcppActions.IsChargerInitiated(version, action);

    public async Task<JObject> ProcessAsync(ChargerAdmitted charger, string protocol, string action, JObject payload, CancellationToken cancel = default)
    {
        if (!OcppVersions.TryFromSubprotocol(protocol, out var version))
            throw new InvalidChargerCallException($"unknown protocol '{protocol}'");
        var check = schemas.Validate(version, action, SchemaKind.Request, payload);
        if (!check.IsValid) throw new InvalidChargerCallException($"{check.ErrorCode}: {check.Description}");
        try { return await Dispatch(charger, version, action, payload); }
        catch (OcppCallException e) { throw new InvalidChargerCallException($"{e.Code}: {e.Message}"); }
    }

    public void CheckOutgoingCall(string protocol, string action, JObject payload)
    {
        if (!OcppVersions.TryFromSubprotocol(protocol, out var version))
            throw new InvalidChargerCallException($"unknown protocol '{protocol}'");
        var check = schemas.Validate(version, action, SchemaKind.Request, payload);
        if (!check.IsValid) throw new InvalidChargerCallException($"{check.ErrorCode}: {check.Description}");
    }

    private Task<JObject> Dispatch(ChargerAdmitted charger, OcppVersion version, string action, JObject payload) => version switch
    {
        OcppVersion.Ocpp16 => v16.HandleAsync(charger, action, payload),
        OcppVersion.Ocpp201 => v201.HandleAsync(charger, action, payload),
        _ => throw new OcppCallException(OcppErrorCode.NotImplemented, $"{version} {action} is not implemented"),
    };
}
