using Cms.Core.Domain.Ocpp;
using Cms.Ocpp.V201.Types;

namespace Cms.Ocpp.V201.Actions;

public sealed class HeartbeatRequest;

public sealed class HeartbeatResponse
{
    public string CurrentTime { get; init; } = "";
}

public sealed class HeartbeatHandler(TimeProvider clock) : Ocpp201Handler<HeartbeatRequest, HeartbeatResponse>
{
    protected override Task<HeartbeatResponse> HandleAsync(ChargerAdmitted charger, HeartbeatRequest request) =>
        Task.FromResult(new HeartbeatResponse { CurrentTime = Ocpp201Convert.Time(clock.GetUtcNow()) });
}
