namespace Cms.Core.Domain.IdTags;

public enum IdTagStatus
{
    Accepted,
    Blocked,
    Expired,
    Invalid,
}

/// <summary>
/// The answer to "may this idTag charge here?", protocol-neutral: the OCPP adapters turn it into IdTagInfo.
/// Tag id, vehicle and priority are null for a tag we do not know (accepted only through allowAllIdTags).
/// </summary>
public sealed record IdTagVerdict(
    IdTagStatus Status,
    string? ParentIdTag = null,
    DateTimeOffset? ExpiryDate = null,
    string? IdTagId = null,
    string? VehicleId = null,
    int? Priority = null);
