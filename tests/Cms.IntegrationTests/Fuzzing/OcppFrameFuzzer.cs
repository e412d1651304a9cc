using System.Text;
using System.Text.RegularExpressions;
using Cms.Ocpp;
using Cms.Ocpp.Schemas;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Cms.IntegrationTests.Fuzzing;

/// <summary>What the CSMS owes a frame: exactly one answer with its id, none (a response, binary), or at most one.</summary>
public enum Owed { ExactlyOne, None, AtMostOne }

/// <summary>One fuzzed input: text (possibly sent in pieces) or binary bytes.</summary>
public sealed record FuzzFrame(string? Text, byte[]? Binary, int Pieces, string Kind)
{
    public override string ToString() => $"{Kind}: {(Text is null ? $"<{Binary!.Length} binary bytes>" : FuzzRun.Shorten(Text))}";
}

/// <summary>Generates OCPP-J frames, good and bad in every way a charger can get them wrong, for one protocol.</summary>
public sealed partial class OcppFrameFuzzer(string protocol, Random random)
{
    /// <summary>The transport limit (OcppConnectionOptions.MaxMessageBytes): bigger frames close the connection.</summary>
    public const int MaxMessageBytes = 1024 * 1024;

    private readonly SchemaPayloads _payloads = new(protocol);
    private readonly OcppVersion _version = protocol == "ocpp1.6" ? OcppVersion.Ocpp16 : OcppVersion.Ocpp201;
    private int _ids;
    private string? _lastCallId;

    private string[] ChargerActions => _payloads.Actions.Where(a => OcppActions.IsChargerInitiated(_version, a)).Order().ToArray();
    private string[] CsmsActions => _payloads.Actions.Where(a => !OcppActions.IsChargerInitiated(_version, a)).Order().ToArray();

    public FuzzFrame Next()
    {
        var id = "f" + ++_ids;
        var roll = random.Next(1000);
        return roll switch
        {
            < 250 => Call(id, ValidCall(out var action), action, "valid call"),
            < 560 => Call(id, JsonMutator.Mutate(ValidCall(out var action), random), action, "mutated payload"),
            < 600 => Call(id, new JObject(), Pick(["MakeCoffee", "", "heartbeat", "Heartbeat ", new string('A', 300), .. CsmsActions]), "unknown or CSMS action"),
            < 640 => Text(Frame(JsonMutator.Leaf(random), "Heartbeat", new JObject()), "non-string message id"),
            < 660 when _lastCallId is not null => Call(_lastCallId, new JObject(), "Heartbeat", "duplicate message id"),
            < 700 => Text($"[3,\"{id}\",{Payload().ToString(Formatting.None)}]", "CALLRESULT for an unknown call"),
            < 730 => Text($"[4,\"{id}\",\"GenericError\",\"x\",{{}}]", "CALLERROR for an unknown call"),
            < 750 => Text(Pick(["[3]", "[4,\"x\"]", $"[3,\"{id}\",[]]", $"[4,\"{id}\",1,2,3,4]", $"[3,{random.Next()},{{}}]"]), "malformed response"),
            < 800 => Text(new JArray(Pick<JToken>([0, 1, 5, 99, -1, 2.0, "2", JValue.CreateNull(), new JArray()]), id, "Heartbeat", new JObject()).ToString(Formatting.None), "unknown message type"),
            < 850 => Text(Truncated(id), "truncated JSON"),
            < 890 => Text(Pick(["", " ", "[]", "{}", "null", "2", "\"text\"", "[2]", "[2,\"x\"]", "[2,\"x\",\"Heartbeat\"]", "[2,\"x\",\"Heartbeat\",[]]",
                $"[2,\"{id}\",\"Heartbeat\",{{}},{{}}]", "\u0000\u0001", "﻿[2,\"bom\",\"Heartbeat\",{}]", Garbage()]), "not a frame"),
            < 920 => Text(Nested(id), "deeply nested JSON"),
            < 950 => new FuzzFrame(null, Enumerable.Range(0, random.Next(1, 2000)).Select(_ => (byte)random.Next(256)).ToArray(), 1, "binary frame"),
            < 990 => new FuzzFrame(Frame(id, "Heartbeat", new JObject()), null, random.Next(2, 12), "fragmented frame"),
            _ => Text(Frame(id, "DataTransfer", new JObject { ["vendorId"] = "fuzz", ["data"] = new string('d', random.Next(100_000, MaxMessageBytes - 1000)) }), "huge frame under the limit"),
        };
    }

    /// <summary>One frame over the size limit: the connection is closed with 1009, the only frame allowed to end it.</summary>
    public static string OverLimit() => $"[2,\"big\",\"DataTransfer\",{{\"vendorId\":\"x\",\"data\":\"{new string('d', MaxMessageBytes)}\"}}]";

    private FuzzFrame Call(string id, JToken payload, string action, string kind)
    {
        if (payload is JObject) _lastCallId = id;
        return Text(Frame(id, action, payload), kind);
    }

    private JObject ValidCall(out string action)
    {
        action = Pick(ChargerActions);
        return _payloads.Generate(action, random);
    }

    private JObject Payload() => random.Next(2) == 0 ? new JObject { ["status"] = "Accepted" } : (JObject)JsonMutator.Mutate(new JObject { ["status"] = "Accepted" }, random) is JObject o ? o : new JObject();

    private string Truncated(string id)
    {
        var whole = Frame(id, "Heartbeat", _payloads.Generate(Pick(ChargerActions), random));
        return whole[..random.Next(1, whole.Length - 1)];
    }

    private string Nested(string id) => random.Next(3) switch
    {
        0 => JsonMutator.NestedText(random.Next(65, 20_000)),
        1 => $"[2,\"{id}\",\"DataTransfer\",{{\"vendorId\":\"v\",\"data\":{JsonMutator.NestedText(random.Next(10, 5_000))}}}]",
        _ => Frame(id, "DataTransfer", new JObject { ["vendorId"] = "v", ["data"] = JsonMutator.Nested(random.Next(2, 60), random) }),
    };

    private string Garbage() => new(Enumerable.Range(0, random.Next(1, 200)).Select(_ => (char)random.Next(1, 0xD7FF)).ToArray());

    private static string Frame(JToken id, string action, JToken payload) => new JArray(2, id, action, payload).ToString(Formatting.None);

    private FuzzFrame Text(string text, string kind) => new(text, null, 1, kind);

    private T Pick<T>(T[] options) => options[random.Next(options.Length)];

    /// <summary>What the CSMS owes this frame, judged from the bytes alone (OCPP-J: a CALL is answered once, a response never).</summary>
    /// <remarks>For <see cref="Owed.AtMostOne"/> the id is the one its answer may carry besides "-1", if it starts like a CALL.</remarks>
    public static (Owed Owed, string? MessageId) Classify(FuzzFrame frame)
    {
        if (frame.Text is null) return (Owed.None, null);
        if (ClaimsToBeResponse().IsMatch(frame.Text)) return (Owed.None, null);
        try
        {
            using var reader = new JsonTextReader(new StringReader(frame.Text)) { MaxDepth = 100_000, DateParseHandling = DateParseHandling.None };
            var token = JToken.ReadFrom(reader);
            if (!reader.Read() && token is JArray { Count: 4 } a && a[0].Type == JTokenType.Integer && (long)a[0] == 2
                && a[1].Type == JTokenType.String && a[2].Type == JTokenType.String && ((string)a[2]!).Length > 0 && a[3] is JObject)
                return (Owed.ExactlyOne, (string)a[1]!);
            if (token is JArray { Count: > 1 } other && other[1].Type == JTokenType.String)
                return (Owed.AtMostOne, (string)other[1]!); // e.g. an unknown message type, answered with its id
        }
        catch (JsonException)
        {
        }
        var prefix = CallPrefix().Match(frame.Text);
        return (Owed.AtMostOne, prefix.Success ? prefix.Groups[1].Value : null);
    }

    [GeneratedRegex("""^\s*\[\s*2\s*,\s*"([^"\\]*)"\s*,""")]
    private static partial Regex CallPrefix();

    [GeneratedRegex("""^\s*\[\s*[34]\s*[,\]]""")]
    private static partial Regex ClaimsToBeResponse();

    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}
