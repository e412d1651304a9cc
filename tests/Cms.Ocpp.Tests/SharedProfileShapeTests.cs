using Cms.Core.Domain.Delivery;
using Cms.Ocpp.Connection;
using Cms.Ocpp.Framing;
using Cms.Ocpp.Schemas;
using Cms.Ocpp.Tests.Support;
using Cms.Ocpp.V16;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Cms.Ocpp.Tests;

/// <summary>
/// A delivery run checks and serializes what many sessions' 1.6 SetChargingProfile payloads share once: each session's
/// payload must still be the very text it was before, and go out as it is.
/// </summary>
public class SharedProfileShapeTests
{
    static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    static ChargingProfileRequest Request(int connector, int profileId, long? transactionId, IReadOnlyList<SchedulePeriod> periods) =>
        new(connector, profileId, transactionId is null ? "TxDefaultProfile" : "TxProfile", 0, transactionId, "W", Start, Start.AddHours(2.5), periods);

    [Fact]
    public void Renders_each_session_as_the_payload_serializes()
    {
        IReadOnlyList<SchedulePeriod> periods = [new(0, 7386.7, 3), new(900, 16.0, null), new(1800, 0.1, 1)];
        var shape = new SetChargingProfile16Shape(Request(1, 1001, 7, periods));
        foreach (var request in new[] { Request(2, 42, 123456789012, periods), Request(1, 999_999_999, -3, periods) })
        {
            Assert.Equal(SetChargingProfile16Shape.KeyOf(Request(1, 1001, 7, periods)), SetChargingProfile16Shape.KeyOf(request));
            Assert.Equal(SetChargingProfile16.Payload(request).ToString(Formatting.None), shape.Render(request));
        }
        var withoutTransaction = new SetChargingProfile16Shape(Request(1, 5, null, periods));
        Assert.Equal(SetChargingProfile16.Payload(Request(3, 6, null, periods)).ToString(Formatting.None), withoutTransaction.Render(Request(3, 6, null, periods)));
        // A request of another shape is never rendered with this one's text.
        Assert.Throws<ArgumentException>(() => withoutTransaction.Render(Request(3, 6, 9, periods)));
        Assert.NotEqual(SetChargingProfile16Shape.KeyOf(Request(1, 1, 1, periods)), SetChargingProfile16Shape.KeyOf(Request(1, 1, 1, [new(0, 1, null)])));
    }

    [Fact]
    public void The_sample_stands_for_the_shape_in_the_schema_check()
    {
        var schemas = new SchemaValidator();
        var valid = new SetChargingProfile16Shape(Request(1, 1001, 7, [new(0, 7386.7, null)]));
        Assert.True(schemas.Validate(OcppVersion.Ocpp16, "SetChargingProfile", SchemaKind.Request, valid.Sample).IsValid);
        var invalid = new SetChargingProfile16Shape(Request(1, 1001, 7, [new(0, 7386.75, null)])); // not a multiple of 0.1
        Assert.False(schemas.Validate(OcppVersion.Ocpp16, "SetChargingProfile", SchemaKind.Request, invalid.Sample).IsValid);
    }

    [Fact]
    public async Task A_checked_payload_goes_out_as_given_and_is_logged_as_sent()
    {
        var host = await TestHost.StartAsync();
        await using var _ = host;
        var client = await WsClient.ConnectAsync(host.OcppUri("ocpp/CP1"), ["ocpp1.6"]);
        await using var __ = client;
        var server = await host.Events.Connected.Task.WaitAsync(WsClient.Wait);
        var request = Request(1, 1001, 7, [new(0, 7386.7, null)]);
        var payload = new SetChargingProfile16Shape(request).Render(request);

        var pending = server.CallCheckedAsync("SetChargingProfile", payload);
        var raw = await client.ReceiveAsync() ?? throw new InvalidOperationException("closed");
        var id = (string)JArray.Parse(raw)[1]!;
        // The same text the serializer writes for the payload as an object.
        Assert.Equal(OcppFrameSerializer.Serialize(new CallFrame(id, "SetChargingProfile", SetChargingProfile16.Payload(request))), raw);
        await client.SendAsync($$"""[3,"{{id}}",{"status":"Accepted"}]""");

        var result = await pending.WaitAsync(WsClient.Wait);
        Assert.Equal((OcppCallStatus.Result, "Accepted"), (result.Status, (string?)result.Payload!["status"]));
        var sent = host.FrameLog.Entries.Single(e => e.MessageType == OcppMessageType.Call && e.MessageId == id);
        Assert.Equal((raw, "SetChargingProfile", OcppFrameDirection.Outgoing), (sent.Raw, sent.Action, sent.Direction));
    }
}
