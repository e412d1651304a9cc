using Cms.Api.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Newtonsoft.Json.Linq;

namespace Cms.Api.Tests.Http;

public sealed class JsendTests
{
    private static async Task<(int Status, JObject Body)> Execute(IResult result)
    {
        var context = new DefaultHttpContext { RequestServices = new ServiceCollection().AddLogging().BuildServiceProvider() };
        context.Response.Body = new MemoryStream();
        await result.ExecuteAsync(context);
        context.Response.Body.Position = 0;
        return (context.Response.StatusCode, JObject.Parse(await new StreamReader(context.Response.Body).ReadToEndAsync()));
    }

    [Fact]
    public async Task Success_wraps_a_list_with_its_total()
    {
        var (status, body) = await Execute(Jsend.Success([new JObject { ["id"] = "a" }], total: 7));
        Assert.Equal(200, status);
        Assert.Equal("success", (string?)body["status"]);
        Assert.Equal("a", (string?)body["data"]![0]!["id"]);
        Assert.Equal(7, (int)body["total"]!);
    }

    [Fact]
    public async Task Fail_names_fields_and_error_hides_details()
    {
        var (status, body) = await Execute(Jsend.Fail(409, new Dictionary<string, string> { ["connectorId"] = "taken" }));
        Assert.Equal(409, status);
        Assert.Equal("taken", (string?)body["data"]!["connectorId"]);
        var (errorStatus, error) = await Execute(Jsend.Error("internal error"));
        Assert.Equal(500, errorStatus);
        Assert.Equal("error", (string?)error["status"]);
    }

    [Fact]
    public async Task Request_bodies_keep_dates_as_text_and_report_bad_json()
    {
        var request = new DefaultHttpContext().Request;
        request.Body = new MemoryStream("""{"at": "2021-07-10T17:40:40+00:00"}"""u8.ToArray());
        var token = await RequestBody.ReadAsync(request);
        Assert.Equal(JTokenType.String, token!["at"]!.Type);

        request.Body = new MemoryStream("""{"a": 1} {"b": 2}"""u8.ToArray());
        await Assert.ThrowsAsync<Cms.Core.Resources.ApiFailure>(() => RequestBody.ReadAsync(request));
    }
}
