namespace Cms.Core.Resources;

/// <summary>The JSON shape a field accepts and the SQL affinity it is stored with.</summary>
public enum FieldType
{
    String,
    Integer,
    Number,
    Boolean,
    DateTime,
    Uuid,
    /// <summary>Any JSON object or array, stored as JSON text.</summary>
    Json,
}
