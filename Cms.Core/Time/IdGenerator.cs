namespace Cms.Core.Time;

/// <summary>Makes resource ids; injected so tests can predict them.</summary>
public interface IIdGenerator
{
    string NewId();
}

public sealed class GuidIdGenerator : IIdGenerator
{
    public string NewId() => Guid.NewGuid().ToString();
}
