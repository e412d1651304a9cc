using Cms.Core.Domain.Ocpp;
using Cms.Ocpp.V201.Types;

namespace Cms.Ocpp.V201.Actions;

public sealed class DataTransferRequest
{
    public string VendorId { get; init; } = "";
    public string? MessageId { get; init; }
}

/// <summary>No vendor extension is understood: the spec's answer for that is UnknownVendorId (the frame stays in the log).</summary>
public sealed class DataTransferHandler : Ocpp201Handler<DataTransferRequest, StatusResponse>
{
    protected override Task<StatusResponse> HandleAsync(ChargerAdmitted charger, DataTransferRequest request) =>
        Task.FromResult(new StatusResponse { Status = "UnknownVendorId" });
}
