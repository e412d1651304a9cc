namespace Cms.Core.Time;

/// <summary>Makes resource ids; injected so tests can predict them.</summary>
public interface IIdGenerator
{
    string NewId();
}

/// <summary>
/// Time-ordered UUIDs (version 7): still random enough to be unguessable, but a new id sorts after the ones before it,
/// so inserting it touches the last page of the table's id index instead of a random one. High-rate tables (meter
/// values, the OCPP message log) otherwise dirty one index page per row and their commits write that many pages.
/// </summary>
public sealed class GuidIdGenerator : IIdGenerator
{
    public string NewId() => Guid.CreateVersion7().ToString();
}
