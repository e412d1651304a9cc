namespace Cms.Ocpp.V201.Types;

// The 2.0.1 data types several actions share, with the fields AmpCMS reads or writes (OCPP 2.0.1 part 2, §2).

public sealed class IdTokenType
{
    public string IdToken { get; init; } = "";
    public string Type { get; init; } = "";
}

public sealed class EvseType
{
    public int Id { get; init; }
    public int? ConnectorId { get; init; }
}

public sealed class IdTokenInfoType
{
    public string Status { get; init; } = "";
    public string? CacheExpiryDateTime { get; init; }
    public IdTokenType? GroupIdToken { get; init; }
}

public sealed class MeterValueType
{
    public DateTimeOffset Timestamp { get; init; }
    public List<SampledValueType> SampledValue { get; init; } = [];
}

public sealed class SampledValueType
{
    public double Value { get; init; }
    public string? Context { get; init; }
    public string? Measurand { get; init; }
    public string? Phase { get; init; }
    public string? Location { get; init; }
    public UnitOfMeasureType? UnitOfMeasure { get; init; }
}

public sealed class UnitOfMeasureType
{
    public string? Unit { get; init; }
    public int? Multiplier { get; init; }
}

public sealed class StatusInfoType
{
    public string ReasonCode { get; init; } = "";
    public string? AdditionalInfo { get; init; }
}

/// <summary>The answer of the many notifications that carry nothing back.</summary>
public sealed class EmptyResponse;

/// <summary>Answers that are a status and, when refused, why.</summary>
public sealed class StatusResponse
{
    public string Status { get; init; } = "";
    public StatusInfoType? StatusInfo { get; init; }
}
