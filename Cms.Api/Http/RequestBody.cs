using Cms.Core.Resources;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Cms.Api.Http;

/// <summary>Reads a JSON body with Newtonsoft (keeping dates as strings so the validator sees what was sent).</summary>
public static class RequestBody
{
    public static async Task<JToken?> ReadAsync(HttpRequest request)
    {
        using var reader = new StreamReader(request.Body);
        var text = await reader.ReadToEndAsync();
        if (string.IsNullOrWhiteSpace(text)) return null;
        try
        {
            using var json = new JsonTextReader(new StringReader(text)) { DateParseHandling = DateParseHandling.None, FloatParseHandling = FloatParseHandling.Double };
            var token = JToken.ReadFrom(json);
            if (json.Read()) throw ApiFailure.BadRequest("body", "has content after the JSON value");
            return token;
        }
        catch (JsonReaderException e)
        {
            throw ApiFailure.BadRequest("body", $"is not valid JSON (line {e.LineNumber}, position {e.LinePosition})");
        }
    }
}
