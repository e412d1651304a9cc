using System.Text;
using Cms.Core.Domain.Delivery;
using Cms.Core.Resources;
using Dapper;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Cms.Core.Domain.Alerts;

/// <summary>
/// POSTs a raised or resolved alert to its network's webhook, signed like optimizations:
/// <c>{"type": "alert", "data": [alert]}</c>. A few retries; a receiver that stays down loses the notice (the alert stays in /v2/alerts).
/// </summary>
public sealed class AlertWebhook(CoreContext core, HttpClient http)
{
    private static readonly TimeSpan[] Backoff = [TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5)];

    public async Task SendAsync(string networkId, JObject alert, CancellationToken stop)
    {
        var target = await core.Db.ReadAsync(conn => conn.QueryFirstOrDefaultAsync<(string? Url, string? Secret)>(
            "SELECT webhook, webhookSecret FROM networks WHERE id = @networkId", new { networkId }));
        if (target.Url is not { } url) return;
        var body = new JObject { ["type"] = "alert", ["data"] = new JArray(alert) }.ToString(Formatting.None);
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
                request.Headers.TryAddWithoutValidation("User-Agent", WebhookSignature.UserAgent);
                request.Headers.Add(WebhookSignature.Header, WebhookSignature.Sign(target.Secret ?? "", body));
                using var response = await http.SendAsync(request, stop);
                if ((int)response.StatusCode is >= 200 and < 300 or 404) return;
            }
            catch (HttpRequestException) { /* retried below */ }
            catch (TaskCanceledException) when (!stop.IsCancellationRequested) { /* timed out: retried below */ }
            if (attempt >= Backoff.Length) return;
            await Task.Delay(Backoff[attempt], core.Clock, stop);
        }
    }
}
