using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.Logging;

namespace Cms.Ocpp.Endpoint;

/// <summary>
/// Failed charger admissions per remote address and per identity (customer/ocppId) in a sliding minute. Past the limit,
/// further attempts are refused with 429 before any secret is checked (a password guesser must not cost a PBKDF2 each),
/// logged once per window. A success clears the identity's count. The window is short, so a charger locked out by
/// someone guessing on its name gets back in a minute later.
/// </summary>
public sealed class AdmissionThrottle(TimeProvider time, ILogger<AdmissionThrottle> logger)
{
    public const int MaxFailuresPerAddress = 100, MaxFailuresPerIdentity = 10;
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);
    const int MaxTracked = 100_000;

    sealed class Count
    {
        public DateTimeOffset Start;
        public int Failures;
        public bool Logged;
    }

    readonly ConcurrentDictionary<string, Count> _counts = new();

    /// <summary>True when this address or identity failed too often lately; the caller answers 429.</summary>
    public bool IsThrottled(IPAddress? address, string identity) =>
        Over($"ip:{address}", MaxFailuresPerAddress, $"address {address}") | Over($"id:{identity}", MaxFailuresPerIdentity, $"identity {identity}");

    public void Failed(IPAddress? address, string identity)
    {
        if (_counts.Count > MaxTracked) _counts.Clear(); // bounded: forgetting only lifts throttles early
        Add($"ip:{address}");
        Add($"id:{identity}");
    }

    public void Succeeded(string identity) => _counts.TryRemove($"id:{identity}", out _);

    void Add(string key)
    {
        var now = time.GetUtcNow();
        var count = _counts.GetOrAdd(key, _ => new Count { Start = now });
        lock (count)
        {
            if (now - count.Start > Window)
            {
                count.Start = now;
                count.Failures = 0;
                count.Logged = false;
            }
            count.Failures++;
        }
    }

    bool Over(string key, int limit, string who)
    {
        if (!_counts.TryGetValue(key, out var count)) return false;
        lock (count)
        {
            if (time.GetUtcNow() - count.Start > Window || count.Failures < limit) return false;
            if (!count.Logged)
            {
                count.Logged = true;
                logger.LogWarning("Throttling OCPP admissions from {Who}: {Failures} failed attempts within {Window} s; refusing with 429 until the window ends",
                    who, count.Failures, (int)Window.TotalSeconds);
            }
            return true;
        }
    }
}
