using Newtonsoft.Json.Linq;

namespace Cms.Ocpp.Connection;

public enum OcppCallStatus
{
    /// <summary>CALLRESULT received and valid against the response schema.</summary>
    Result,
    /// <summary>CALLERROR received.</summary>
    Error,
    /// <summary>No answer within the timeout.</summary>
    Timeout,
    /// <summary>The connection closed before an answer (or before the call was sent).</summary>
    Closed,
    /// <summary>CALLRESULT received but its payload fails the response schema; Payload holds it anyway.</summary>
    InvalidResponse,
    /// <summary>The caller's token was cancelled before an answer.</summary>
    Cancelled,
}

/// <summary>Outcome of a server→charger CALL.</summary>
public sealed record OcppCallResult(
    OcppCallStatus Status,
    JObject? Payload = null,
    string? ErrorCode = null,
    string? ErrorDescription = null,
    JObject? ErrorDetails = null)
{
    public bool IsSuccess => Status == OcppCallStatus.Result;
}
