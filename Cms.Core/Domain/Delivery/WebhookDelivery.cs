using System.Text;
using System.Threading.Channels;
using Cms.Core.Auth;
using Cms.Core.Domain.Events;
using Cms.Core.Domain.Optimizations;
using Cms.Core.Domain.Sessions;
using Cms.Core.Resources;
using Dapper;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Cms.Core.Domain.Delivery;

/// <summary>
/// POSTs each new optimization to its network's webhook, signed, from a queue of its own so a slow receiver never
/// holds up the optimizer. Failures are retried with backoff; a 404 ends the session (spec). Every attempt's
/// outcome is an event.
/// </summary>
public sealed class WebhookDelivery
{
    private static readonly TimeSpan[] Backoff = [TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30)];
    private readonly CoreContext _core;
    private readonly HttpClient _http;
    private readonly SessionService _sessions;
    private readonly EventLog _events;
    private readonly Channel<OptimizationsPublished> _queue = Channel.CreateUnbounded<OptimizationsPublished>();

    public WebhookDelivery(CoreContext core, HttpClient http, SessionService sessions, EventLog events)
    {
        _core = core;
        _http = http;
        _sessions = sessions;
        _events = events;
        core.Events.Subscribe<OptimizationsPublished>(run => _queue.Writer.TryWrite(run));
    }

    public async Task RunAsync(Action<Exception> onError, CancellationToken stop)
    {
        try
        {
            await foreach (var run in _queue.Reader.ReadAllAsync(stop))
            {
                if (run.Items.Count == 0) continue;
                // Most networks have no webhook: one lookup per run, not one per optimization.
                var target = await _core.Db.ReadAsync(conn => conn.QueryFirstOrDefaultAsync<(string? Url, string? Secret)>(
                    "SELECT webhook, webhookSecret FROM networks WHERE id = @networkId", new { networkId = run.NetworkId }));
                if (target.Url is not { } url) continue;
                // Deliveries of different optimizations run side by side; each keeps its own retries.
                foreach (var item in run.Items)
                    _ = Task.Run(async () =>
                    {
                        try { await DeliverAsync(run.CustomerId, run.NetworkId, url, target.Secret, item, stop); }
                        catch (Exception e) when (e is not OperationCanceledException) { onError(e); }
                    }, CancellationToken.None);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // shutting down
        }
    }

    private async Task DeliverAsync(string customerId, string networkId, string url, string? secret, PublishedOptimization item,
        CancellationToken stop)
    {
        var body = item.Optimization.ToString(Formatting.None);
        for (var attempt = 0; ; attempt++)
        {
            int? status = null;
            string? failure = null;
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
                request.Headers.TryAddWithoutValidation("User-Agent", WebhookSignature.UserAgent);
                request.Headers.Add(WebhookSignature.Header, WebhookSignature.Sign(secret ?? "", body));
                using var response = await _http.SendAsync(request, stop);
                status = (int)response.StatusCode;
            }
            catch (HttpRequestException e) { failure = e.Message; }
            catch (TaskCanceledException) when (!stop.IsCancellationRequested) { failure = "timed out"; }

            var details = new JObject { ["optimization"] = item.Id, ["url"] = url, ["attempt"] = attempt + 1, ["httpStatus"] = status };
            if (status is >= 200 and < 300)
            {
                await Record("Info", $"webhook accepted optimization {item.Id} ({status})");
                return;
            }
            if (status == 404)
            {
                await Record("Warning", $"webhook answered 404 for optimization {item.Id}: the charging session is ended");
                await _sessions.StopAsync(new Caller("webhook", customerId, UserTypes.Service), item.Session.Id, transactionId: null);
                return;
            }
            var reason = failure ?? $"HTTP {status}";
            if (attempt >= Backoff.Length)
            {
                await Record("Error", $"webhook delivery of optimization {item.Id} failed after {attempt + 1} attempts: {reason}");
                return;
            }
            await Record("Warning", $"webhook delivery of optimization {item.Id} failed ({reason}); retrying in {Backoff[attempt].TotalSeconds:0} s");
            await Task.Delay(Backoff[attempt], _core.Clock, stop);

            Task Record(string urgency, string description) => _events.RecordAsync(customerId, networkId, EventLog.Delivery, urgency,
                description, item.Session.ChargePointId, item.Session.ConnectorId, item.Session.Id, details);
        }
    }
}
