using System.Text.RegularExpressions;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Cms.Ocpp.Framing;

/// <summary>
/// Parses OCPP-J text into frames and classifies what is wrong otherwise (see Framing/README.md
/// for the decision table). Only a CALL, or something whose type cannot be read, is ever answered:
/// the spec forbids answering a CALLRESULT/CALLERROR.
/// </summary>
public static partial class OcppFrameParser
{
    public static FrameParseResult Parse(string text)
    {
        JToken token;
        try
        {
            token = ParseJson(text);
        }
        catch (JsonException)
        {
            // Broken JSON: if it still starts like a CALL we can name the id, else "-1"; what starts like a response
            // is never answered.
            var id = TryExtractCallId(text);
            if (id is null && ResponsePrefix().Match(text) is { Success: true } response)
                return Fail(OcppErrorCode.FormatViolation, "Message is not valid JSON", null, int.Parse(response.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
            return id is null
                ? Fail(OcppErrorCode.RpcFrameworkError, "Message is not valid JSON", null, rawType: null)
                : Fail(OcppErrorCode.FormatViolation, "Message is not valid JSON", id, (int)OcppMessageType.Call);
        }

        if (token is not JArray array || array.Count == 0)
            return Fail(OcppErrorCode.RpcFrameworkError, "Message must be a non-empty JSON array", null, rawType: null);

        var messageId = array.Count > 1 && array[1].Type == JTokenType.String ? (string)array[1]! : null;
        if (array[0].Type != JTokenType.Integer)
            return Fail(OcppErrorCode.RpcFrameworkError, "Message type must be an integer", messageId, rawType: null);

        // A type beyond 32 bits is no type we know either (a cast would throw: the charger got no answer).
        var type = array[0] is JValue { Value: long n } && n is >= int.MinValue and <= int.MaxValue ? (int)n : (int?)null;
        if (type is not (>= 2 and <= 4))
            return Fail(OcppErrorCode.MessageTypeNotSupported, $"Message type {array[0]} is not supported", messageId, type);
        if (messageId is null)
            return Fail(OcppErrorCode.RpcFrameworkError, "Message id must be a string", null, type);

        return (OcppMessageType)type switch
        {
            OcppMessageType.Call => ParseCall(array, messageId),
            OcppMessageType.CallResult => ParseCallResult(array, messageId),
            _ => ParseCallError(array, messageId),
        };
    }

    static FrameParseResult ParseCall(JArray a, string id)
    {
        if (a.Count != 4 || a[2].Type != JTokenType.String || string.IsNullOrEmpty((string?)a[2]))
            return Fail(OcppErrorCode.FormatViolation, "CALL must be [2, messageId, action, payload]", id, 2);
        if (a[3] is not JObject payload)
            return Fail(OcppErrorCode.FormatViolation, "CALL payload must be a JSON object", id, 2);
        return FrameParseResult.Ok(new CallFrame(id, (string)a[2]!, Detach(payload)));
    }

    static FrameParseResult ParseCallResult(JArray a, string id)
    {
        if (a.Count != 3 || a[2] is not JObject payload)
            return Fail(OcppErrorCode.FormatViolation, "CALLRESULT must be [3, messageId, payload]", id, 3);
        return FrameParseResult.Ok(new CallResultFrame(id, Detach(payload)));
    }

    static FrameParseResult ParseCallError(JArray a, string id)
    {
        // Lenient on details: some chargers omit them or send null; the code and text are what matter.
        if (a.Count is < 4 or > 5 || a[2].Type != JTokenType.String || a[3].Type != JTokenType.String)
            return Fail(OcppErrorCode.FormatViolation, "CALLERROR must be [4, messageId, code, description, details]", id, 4);
        var details = a.Count == 5 && a[4] is JObject d ? Detach(d) : new JObject();
        return FrameParseResult.Ok(new CallErrorFrame(id, (string)a[2]!, (string)a[3]!, details));
    }

    /// <summary>Cut the payload loose from the frame array so its paths (and schema error paths) start at the payload.</summary>
    static JObject Detach(JObject payload)
    {
        payload.Remove();
        return payload;
    }

    /// <summary>Dates stay strings (Newtonsoft would turn them into DateTime and break schema checks);
    /// decimals keep multipleOf 0.1 exact.</summary>
    /// <remarks>Without line info: by default every token carries an annotation with its line and position (a third of
    /// what parsing a MeterValues frame allocated), and nothing reads them; errors name the JSON path.</remarks>
    static JToken ParseJson(string text)
    {
        try
        {
            return ParseJson(text, FloatParseHandling.Decimal);
        }
        catch (JsonReaderException)
        {
            // A number beyond decimal's range (1e300) is still JSON: read it as a double so the schema can judge it.
            return ParseJson(text, FloatParseHandling.Double);
        }
    }

    static readonly JsonLoadSettings NoLineInfo = new() { LineInfoHandling = LineInfoHandling.Ignore };

    /// <summary>A frame's text as a tree: dates stay strings, pooled buffers, nesting bounded, nothing after the value.</summary>
    static JToken ParseJson(string text, FloatParseHandling floats)
    {
        using var reader = new JsonTextReader(new StringReader(text))
        {
            DateParseHandling = DateParseHandling.None,
            FloatParseHandling = floats,
            MaxDepth = 64,
            ArrayPool = PooledJsonChars.Instance,
        };
        var token = JToken.ReadFrom(reader, NoLineInfo);
        if (reader.Read())
            throw new JsonReaderException("Trailing content after the JSON value");
        return token;
    }

    static string? TryExtractCallId(string text)
    {
        var m = CallPrefix().Match(text);
        return m.Success ? m.Groups[1].Value : null;
    }

    [GeneratedRegex("""^\s*\[\s*([34])\s*[,\]]""")]
    private static partial Regex ResponsePrefix();

    [GeneratedRegex("""^\s*\[\s*2\s*,\s*"([^"\\]{1,36})"\s*,""")]
    private static partial Regex CallPrefix();

    static FrameParseResult Fail(OcppErrorCode code, string description, string? id, int? rawType) => new()
    {
        ErrorCode = code,
        ErrorDescription = description,
        ErrorMessageId = id ?? FrameParseResult.UnknownMessageId,
        // Never answer what claims to be a response; everything else gets a CALLERROR.
        ShouldAnswer = rawType is not ((int)OcppMessageType.CallResult or (int)OcppMessageType.CallError),
        RawMessageType = rawType,
    };
}
