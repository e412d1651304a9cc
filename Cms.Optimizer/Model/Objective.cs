namespace Cms.Optimizer;

/// <summary>Network objective (spec: load_sharing, fleet, vehicle_to_grid, off).</summary>
public enum Objective
{
    LoadSharing,
    Fleet,
    VehicleToGrid,
    Off,
}
