namespace Cms.Ocpp.Schemas;

/// <summary>Outcome of a schema check: valid, or the OCPP error code plus a description naming the property.</summary>
public sealed record SchemaValidationResult(bool IsValid, OcppErrorCode ErrorCode, string Description, string? Path)
{
    public static readonly SchemaValidationResult Valid = new(true, OcppErrorCode.GenericError, "", null);

    public static SchemaValidationResult Invalid(OcppErrorCode code, string description, string? path = null) =>
        new(false, code, description, path);
}
