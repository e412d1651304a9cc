using Cms.Core.Domain.Ocpp;
using Cms.Ocpp.V201.Types;

namespace Cms.Ocpp.V201.Actions;

public sealed class MeterValuesRequest
{
    public int EvseId { get; init; }
    public List<MeterValueType> MeterValue { get; init; } = [];
}

/// <summary>Meter values outside a transaction (evseId 0: the station's main meter), through the same rules as 1.6's.</summary>
public sealed class MeterValuesHandler(ChargerTransactions transactions) : Ocpp201Handler<MeterValuesRequest, EmptyResponse>
{
    protected override async Task<EmptyResponse> HandleAsync(ChargerAdmitted charger, MeterValuesRequest request)
    {
        await transactions.MeterValuesAsync(charger, request.EvseId, null, Ocpp201Convert.MeterValues(request.MeterValue));
        return new EmptyResponse();
    }
}
