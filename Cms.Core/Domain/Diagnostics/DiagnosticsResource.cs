using Cms.Core.Resources;

namespace Cms.Core.Domain.Diagnostics;

/// <summary>/v2/diagnostics: a request for a charger's diagnostics (1.6 GetDiagnostics, 2.0.1 GetLog) and the file it uploaded.</summary>
public static class DiagnosticsResource
{
    /// <summary>Our own statuses before the charger reports any: sent and answered, waiting for an offline charger, refused.</summary>
    public const string Requested = "Requested";
    public const string Queued = "Queued";
    public const string Rejected = "Rejected";
    public const string Failed = "Failed";

    public static readonly ResourceSpec Spec = new()
    {
        Name = "diagnostics",
        Table = "diagnostics",
        Fields =
        [
            F.Id("chargepointId") with { Required = true, Nullable = false, Immutable = true },
            F.Id("userId") with { ReadOnly = true },
            F.Str("protocol") with { ReadOnly = true },
            F.Int("requestId") with { ReadOnly = true },
            // Requested, Queued, Rejected, Failed, then what the charger reports (1.6 Uploading, Uploaded, UploadFailed, Idle;
            // 2.0.1 Uploading, Uploaded, UploadFailure, BadMessage, NotSupportedOperation, PermissionDenied, AcceptedCanceled, Idle).
            F.Str("status") with { ReadOnly = true },
            F.Time("statusUpdate") with { ReadOnly = true },
            // The charger's answer to the request: Accepted, Rejected, AcceptedCanceled, or why it has none (TimedOut, CallError …).
            F.Str("requestStatus") with { ReadOnly = true },
            F.Str("fileName") with { ReadOnly = true },
            F.Int("fileSize") with { ReadOnly = true },
            F.Time("uploaded") with { ReadOnly = true },
            F.Str("uploadSecretHash") with { ReadOnly = true, WriteOnly = true },
        ],
        Filters =
        [
            Filters.Equal("chargepoint", "t.chargepointId"),
            Filters.Equal("user", "t.userId"),
        ],
    };
}
