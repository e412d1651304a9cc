using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Cms.IntegrationTests.Harness;

/// <summary>A real HTTP server on loopback that records webhook POSTs and answers with the status the test chooses.</summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<(IHeaderDictionary Headers, string Body)> _received = new();
    private readonly SemaphoreSlim _signal = new(0);

    private WebhookReceiver(WebApplication app) => _app = app;

    public int AnswerStatus { get; set; } = 200;
    public string Url { get; private set; } = "";
    public IReadOnlyList<(IHeaderDictionary Headers, string Body)> Received => _received.ToList();

    public static async Task<WebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        app.MapPost("/hook", async (HttpContext http) =>
        {
            var body = await new StreamReader(http.Request.Body).ReadToEndAsync();
            receiver._received.Enqueue((new HeaderDictionary(http.Request.Headers.ToDictionary(h => h.Key, h => h.Value)), body));
            receiver._signal.Release();
            http.Response.StatusCode = receiver.AnswerStatus;
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        receiver.Url = address + "/hook";
        return receiver;
    }

    /// <summary>Waits until at least <paramref name="count"/> POSTs arrived.</summary>
    public async Task WaitForAsync(int count, int seconds = 20)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (_received.Count < count)
        {
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero || !await _signal.WaitAsync(left))
                throw new TimeoutException($"expected {count} webhook POSTs, got {_received.Count}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
