using Cms.Core.Domain.Ocpp;
using Cms.Core.Domain.Ocpp.Stations;
using Cms.Ocpp.V201.Types;

namespace Cms.Ocpp.V201.Actions;

public sealed class NotifyReportRequest
{
    public int RequestId { get; init; }
    public int SeqNo { get; init; }
    public List<ReportDataType>? ReportData { get; init; }
}

public sealed class ReportDataType
{
    public ComponentType Component { get; init; } = new();
    public VariableType Variable { get; init; } = new();
    public List<VariableAttributeType> VariableAttribute { get; init; } = [];
    public VariableCharacteristicsType? VariableCharacteristics { get; init; }
}

public sealed class ComponentType
{
    public string Name { get; init; } = "";
    public string? Instance { get; init; }
    public EvseType? Evse { get; init; }
}

public sealed class VariableType
{
    public string Name { get; init; } = "";
    public string? Instance { get; init; }
}

public sealed class VariableAttributeType
{
    public string? Type { get; init; }
    public string? Value { get; init; }
    public string? Mutability { get; init; }
}

public sealed class VariableCharacteristicsType
{
    public string? Unit { get; init; }
    public string DataType { get; init; } = "";
}

/// <summary>Each reported variable attribute is stored in the charge point's device model (<see cref="DeviceModel"/>).</summary>
public sealed class NotifyReportHandler(DeviceModel deviceModel) : Ocpp201Handler<NotifyReportRequest, EmptyResponse>
{
    protected override async Task<EmptyResponse> HandleAsync(ChargerAdmitted charger, NotifyReportRequest request)
    {
        var variables = (request.ReportData ?? []).SelectMany(d => d.VariableAttribute.Select(a => new DeviceVariable(
            d.Component.Name, d.Component.Instance, d.Component.Evse?.Id, d.Component.Evse?.ConnectorId, d.Variable.Name, d.Variable.Instance,
            a.Type ?? "Actual", a.Value, a.Mutability, d.VariableCharacteristics?.DataType, d.VariableCharacteristics?.Unit))).ToList();
        await deviceModel.StoreAsync(charger, variables);
        return new EmptyResponse();
    }
}
