using System.Security.Cryptography;
using System.Text;

namespace Cms.Core.Domain.Delivery;

/// <summary>X-Webhook-Signature: hex HMAC-SHA256 of the raw body keyed with the network's webhookSecret (spec).</summary>
public static class WebhookSignature
{
    public const string Header = "X-Webhook-Signature";
    public const string UserAgent = "Ampcontrol Delivery Service";

    public static string Sign(string secret, string body) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(body)));
}
