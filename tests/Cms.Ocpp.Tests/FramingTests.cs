using Cms.Ocpp;
using Cms.Ocpp.Framing;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Cms.Ocpp.Tests;

public class FramingTests
{
    [Fact]
    public void Parses_a_call()
    {
        var r = OcppFrameParser.Parse("""[2,"19223201","BootNotification",{"chargePointVendor":"VendorX","chargePointModel":"SingleSocketCharger"}]""");
        var call = Assert.IsType<CallFrame>(r.Frame);
        Assert.Equal("19223201", call.MessageId);
        Assert.Equal("BootNotification", call.Action);
        Assert.Equal("VendorX", (string?)call.Payload["chargePointVendor"]);
    }

    [Fact]
    public void Parses_a_call_result_and_keeps_dates_as_strings()
    {
        var r = OcppFrameParser.Parse("""[3,"19223201",{"status":"Accepted","currentTime":"2013-02-01T20:53:32.486Z","interval":300}]""");
        var result = Assert.IsType<CallResultFrame>(r.Frame);
        // A DateTime token would fail the schema's "type": "string".
        Assert.Equal(JTokenType.String, result.Payload["currentTime"]!.Type);
        Assert.Equal("2013-02-01T20:53:32.486Z", (string?)result.Payload["currentTime"]);
    }

    [Fact]
    public void Parses_a_call_error_with_and_without_details()
    {
        var e = Assert.IsType<CallErrorFrame>(OcppFrameParser.Parse("""[4,"a","NotSupported","nope",{"x":1}]""").Frame);
        Assert.Equal(("a", "NotSupported", "nope", 1), (e.MessageId, e.Code, e.Description, (int)e.Details["x"]!));
        var bare = Assert.IsType<CallErrorFrame>(OcppFrameParser.Parse("""[4,"a","GenericError",""]""").Frame);
        Assert.Empty(bare.Details);
    }

    [Theory]
    [InlineData("[2147483648,\"a\",\"Heartbeat\",{}]")]
    [InlineData("[-9223372036854775808,\"a\",\"Heartbeat\",{}]")]
    [InlineData("[99999999999999999999999,\"a\",\"Heartbeat\",{}]")]
    public void A_message_type_beyond_32_bits_is_not_supported_and_answered(string text)
    {
        var parsed = OcppFrameParser.Parse(text);
        Assert.Null(parsed.Frame);
        Assert.Equal(OcppErrorCode.MessageTypeNotSupported, parsed.ErrorCode);
        Assert.True(parsed.ShouldAnswer);
        Assert.Equal("a", parsed.ErrorMessageId);
    }

    [Fact]
    public void Serializes_all_three_frame_types_compactly()
    {
        Assert.Equal("""[2,"1","Heartbeat",{}]""", OcppFrameSerializer.Serialize(new CallFrame("1", "Heartbeat", new JObject())));
        Assert.Equal("""[3,"1",{"currentTime":"2024-01-01T00:00:00Z"}]""",
            OcppFrameSerializer.Serialize(new CallResultFrame("1", new JObject { ["currentTime"] = "2024-01-01T00:00:00Z" })));
        Assert.Equal("""[4,"1","FormationViolation","bad",{}]""",
            OcppFrameSerializer.Serialize(OcppFrameSerializer.Error("1", OcppErrorCode.FormatViolation, OcppVersion.Ocpp16, "bad")));
    }

    [Fact]
    public void A_call_and_a_result_read_as_the_array_Newtonsoft_writes_ids_that_need_escaping_and_dates_included()
    {
        var payload = new JObject { ["at"] = new DateTime(2024, 1, 2, 3, 4, 5, DateTimeKind.Utc), ["n"] = 1.5, ["s"] = "ü\"\n", ["a"] = new JArray(1, JValue.CreateNull()) };
        foreach (var id in new[] { "1", "a\"b\\c", "ünï\u0001", " ~'<>&", "\u007f", "x\u2028", "\u001f", "" })
        {
            Assert.Equal(new JArray(2, id, "DataTransfer", payload.DeepClone()).ToString(Formatting.None),
                OcppFrameSerializer.Serialize(new CallFrame(id, "DataTransfer", (JObject)payload.DeepClone())));
            Assert.Equal(new JArray(3, id, payload.DeepClone()).ToString(Formatting.None),
                OcppFrameSerializer.Serialize(new CallResultFrame(id, (JObject)payload.DeepClone())));
            Assert.Equal(new JArray(3, id, new JObject()).ToString(Formatting.None), OcppFrameSerializer.Serialize(new CallResultFrame(id, [])));
        }
    }

    [Fact]
    public void Round_trips_through_parse()
    {
        var text = """[2,"abc","MeterValues",{"connectorId":1,"meterValue":[{"timestamp":"2024-05-01T10:00:00+02:00","sampledValue":[{"value":"12.5"}]}]}]""";
        Assert.Equal(text, OcppFrameSerializer.Serialize(OcppFrameParser.Parse(text).Frame!));
    }

    [Theory]
    [InlineData("not json", OcppErrorCode.RpcFrameworkError, "-1")]
    [InlineData("{\"a\":1}", OcppErrorCode.RpcFrameworkError, "-1")]
    [InlineData("[]", OcppErrorCode.RpcFrameworkError, "-1")]
    [InlineData("[\"2\",\"id\",\"Heartbeat\",{}]", OcppErrorCode.RpcFrameworkError, "id")]
    [InlineData("[2,17,\"Heartbeat\",{}]", OcppErrorCode.RpcFrameworkError, "-1")]
    [InlineData("[2,\"id7\",\"Heartbeat\",{", OcppErrorCode.FormatViolation, "id7")]
    [InlineData("[2,\"id\",\"Heartbeat\"]", OcppErrorCode.FormatViolation, "id")]
    [InlineData("[2,\"id\",\"Heartbeat\",[]]", OcppErrorCode.FormatViolation, "id")]
    [InlineData("[2,\"id\",\"\",{}]", OcppErrorCode.FormatViolation, "id")]
    [InlineData("[7,\"id\",{}]", OcppErrorCode.MessageTypeNotSupported, "id")]
    [InlineData("[2,\"id\",\"Heartbeat\",{}] trailing", OcppErrorCode.FormatViolation, "id")]
    public void Classifies_broken_frames(string text, OcppErrorCode code, string answerId)
    {
        var r = OcppFrameParser.Parse(text);
        Assert.Null(r.Frame);
        Assert.Equal(code, r.ErrorCode);
        Assert.Equal(answerId, r.ErrorMessageId);
        Assert.True(r.ShouldAnswer);
    }

    [Theory]
    [InlineData("[3,\"id\"]")]
    [InlineData("[3,\"id\",\"x\"]")]
    [InlineData("[4,\"id\",5,\"d\",{}]")]
    public void Never_answers_a_broken_response(string text)
    {
        var r = OcppFrameParser.Parse(text);
        Assert.Null(r.Frame);
        Assert.False(r.ShouldAnswer);
    }

    [Theory]
    [InlineData(OcppErrorCode.FormatViolation, "FormationViolation", "FormatViolation")]
    [InlineData(OcppErrorCode.OccurrenceConstraintViolation, "OccurenceConstraintViolation", "OccurrenceConstraintViolation")]
    [InlineData(OcppErrorCode.RpcFrameworkError, "ProtocolError", "RpcFrameworkError")]
    [InlineData(OcppErrorCode.MessageTypeNotSupported, "ProtocolError", "MessageTypeNotSupported")]
    [InlineData(OcppErrorCode.NotImplemented, "NotImplemented", "NotImplemented")]
    public void Error_codes_use_each_versions_spelling(OcppErrorCode code, string v16, string v201)
    {
        Assert.Equal(v16, code.ToWire(OcppVersion.Ocpp16));
        Assert.Equal(v201, code.ToWire(OcppVersion.Ocpp201));
        Assert.Equal(code == OcppErrorCode.RpcFrameworkError || code == OcppErrorCode.MessageTypeNotSupported ? OcppErrorCode.ProtocolError : code,
            OcppErrorCodes.FromWire(v16));
        Assert.Equal(code, OcppErrorCodes.FromWire(v201));
    }
}
