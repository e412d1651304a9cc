namespace Cms.Ocpp;

/// <summary>
/// CALLERROR codes, version-neutral. The wire spelling differs per version (1.6 keeps the spec's
/// "FormationViolation" and "OccurenceConstraintViolation"), so code never hard-codes strings:
/// use <see cref="OcppErrorCodes.ToWire"/>.
/// </summary>
public enum OcppErrorCode
{
    GenericError,
    NotImplemented,
    NotSupported,
    InternalError,
    ProtocolError,
    SecurityError,
    /// <summary>1.6 "FormationViolation", 2.0.1 "FormatViolation".</summary>
    FormatViolation,
    PropertyConstraintViolation,
    /// <summary>1.6 "OccurenceConstraintViolation" (sic), 2.0.1 "OccurrenceConstraintViolation".</summary>
    OccurrenceConstraintViolation,
    TypeConstraintViolation,
    /// <summary>2.0.1 only; 1.6 has no such code and gets "ProtocolError".</summary>
    MessageTypeNotSupported,
    /// <summary>2.0.1 only; 1.6 has no such code and gets "ProtocolError".</summary>
    RpcFrameworkError,
}

public static class OcppErrorCodes
{
    public static string ToWire(this OcppErrorCode code, OcppVersion version) => (code, version) switch
    {
        (OcppErrorCode.FormatViolation, OcppVersion.Ocpp16) => "FormationViolation",
        (OcppErrorCode.OccurrenceConstraintViolation, OcppVersion.Ocpp16) => "OccurenceConstraintViolation",
        (OcppErrorCode.MessageTypeNotSupported or OcppErrorCode.RpcFrameworkError, OcppVersion.Ocpp16) => "ProtocolError",
        _ => code.ToString(),
    };

    /// <summary>Reads a code a charger sent; accepts both spellings of both versions.</summary>
    public static OcppErrorCode FromWire(string? wire) => wire switch
    {
        "FormationViolation" => OcppErrorCode.FormatViolation,
        "OccurenceConstraintViolation" => OcppErrorCode.OccurrenceConstraintViolation,
        _ when Enum.TryParse<OcppErrorCode>(wire, ignoreCase: false, out var code) => code,
        _ => OcppErrorCode.GenericError,
    };
}
