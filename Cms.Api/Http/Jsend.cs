using System.Text;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Cms.Api.Http;

/// <summary>The JSend envelope: success with a list and total, fail with field → reason, error with a message.</summary>
public static class Jsend
{
    public static IResult Success(IEnumerable<JToken> items, long? total = null, int status = 200)
    {
        var data = new JArray(items);
        return Json(new JObject { ["status"] = "success", ["data"] = data, ["total"] = total ?? data.Count }, status);
    }

    public static IResult One(JToken item, int status = 200) => Success([item], 1, status);

    public static IResult Fail(int status, IReadOnlyDictionary<string, string> errors) =>
        Json(new JObject { ["status"] = "fail", ["data"] = JObject.FromObject(errors) }, status);

    public static IResult Error(string message) =>
        Json(new JObject { ["status"] = "error", ["message"] = message }, 500);

    public static IResult Json(JToken body, int status) =>
        Results.Text(body.ToString(Formatting.None), "application/json", Encoding.UTF8, status);
}
