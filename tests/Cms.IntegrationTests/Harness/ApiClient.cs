using System.Net.Http.Headers;
using System.Text;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Cms.IntegrationTests.Harness;

/// <summary>One API response: HTTP status and the parsed JSend body.</summary>
public sealed record ApiResponse(int Status, JObject Body)
{
    public JArray Data => (JArray)Body["data"]!;
    public JObject First => (JObject)Data[0];
    public long Total => (long)Body["total"]!;
    /// <summary>The reason given for one field of a "fail" answer.</summary>
    public string? FailFor(string field) => Body["status"]?.ToString() == "fail" ? (string?)Body["data"]?[field] : null;
    public override string ToString() => $"{Status} {Body.ToString(Formatting.None)}";
}

/// <summary>A thin HTTP client that speaks the JSend API with a bearer token.</summary>
public sealed class ApiClient : IDisposable
{
    private readonly HttpClient _http;

    public ApiClient(Uri baseAddress, string? token)
    {
        // A TLS test host serves its own self-signed certificate on loopback.
        var handler = new HttpClientHandler();
        if (baseAddress.Scheme == "https") handler.ServerCertificateCustomValidationCallback = (_, _, _, _) => true;
        _http = new HttpClient(handler) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
        if (token is not null) _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
    }

    public Task<ApiResponse> Get(string path) => Send(HttpMethod.Get, path, null);
    public Task<ApiResponse> Post(string path, object? body) => Send(HttpMethod.Post, path, body);
    public Task<ApiResponse> Patch(string path, object? body) => Send(HttpMethod.Patch, path, body);
    public Task<ApiResponse> Delete(string path) => Send(HttpMethod.Delete, path, null);

    /// <summary>Body may be a JSON string (sent verbatim), a JToken, or an anonymous object.</summary>
    public async Task<ApiResponse> Send(HttpMethod method, string path, object? body)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            var text = body switch
            {
                string raw => raw,
                JToken token => token.ToString(Formatting.None),
                _ => JsonConvert.SerializeObject(body),
            };
            request.Content = new StringContent(text, Encoding.UTF8, "application/json");
        }
        using var response = await _http.SendAsync(request);
        var content = await response.Content.ReadAsStringAsync();
        var json = content.Length == 0 ? new JObject() : Parse(content);
        return new ApiResponse((int)response.StatusCode, json);
    }

    /// <summary>Keeps timestamps as the strings the server sent, so tests check the wire format. Deeper than Newtonsoft's
    /// default 64 levels: the server renders a stored frame of up to 64 levels inside the response envelope.</summary>
    public static JObject Parse(string content)
    {
        using var reader = new JsonTextReader(new StringReader(content)) { DateParseHandling = DateParseHandling.None, MaxDepth = 128 };
        return JObject.Load(reader);
    }

    /// <summary>POST that must succeed; returns the created object.</summary>
    public async Task<JObject> Create(string path, object body)
    {
        var response = await Post(path, body);
        Assert.True(response.Status is 200 or 201, $"POST {path} failed: {response}");
        return response.First;
    }

    public void Dispose() => _http.Dispose();
}
