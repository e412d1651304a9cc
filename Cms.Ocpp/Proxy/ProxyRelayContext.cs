using Cms.Core.Domain.Ocpp;
using Cms.Core.Domain.Proxy;
using Cms.Ocpp.Connection;
using Cms.Ocpp.Schemas;
using Microsoft.Extensions.Logging;

namespace Cms.Ocpp.Proxy;

/// <summary>What every relay shares: AmpCMS's own answers, the observer, the logs and the durable outage queue.</summary>
public sealed record ProxyRelayContext(IOcppCallHandler Handler, ProxyObserver Observer, SchemaValidator Schemas, IOcppFrameLog Log,
    OcppEventLog Events, ProxyQueueStore Queue, ProxyOptions Options, TimeProvider Time, ILogger<ProxyRelay> Logger);
