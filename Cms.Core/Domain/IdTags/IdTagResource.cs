using Cms.Core.Resources;

namespace Cms.Core.Domain.IdTags;

/// <summary>/v2/id_tags: an OCPP idTag (RFID card, credit card reader, VID/MAC) a charger presents to start charging.</summary>
public static class IdTagResource
{
    public static readonly string[] Groups = ["RFID", "credit card reader", "VID or MAC address"];

    public static readonly ResourceSpec Spec = new()
    {
        Name = "id tag",
        Table = "id_tags",
        Fields =
        [
            // OCPP 1.6 IdToken is CiString20Type.
            F.Str("value", 20) with { Required = true, Nullable = false },
            // 0 = opt-out (max power) … 5 = very low; null = no override, the connector's priority applies.
            F.Int("priority", 0, 5) with { Default = 3L },
            F.Enum("group", Groups) with { Required = true, Nullable = false },
            F.Id("vehicleId"),
            F.Int("listVersion", 0, int.MaxValue),
            F.Str("customGroup"),
            // Not in the Ampcontrol spec: what OCPP Authorize needs (IdTagInfo status, expiryDate, parentIdTag).
            F.Enum("status", IdTagStatuses.Stored) with { Default = IdTagStatuses.Accepted, Nullable = false },
            F.Time("expiryDate"),
            F.Str("parentIdTag", 20),
        ],
        Derived =
        [
            new("vehicleName", FieldType.String, "SELECT v.name FROM vehicles v WHERE v.id = t.\"vehicleId\""),
        ],
        Filters =
        [
            // Case-insensitive like OCPP idTags themselves.
            new FilterSpec("value", (values, p) =>
                $"LOWER(t.\"value\") IN ({string.Join(", ", values.Select(v => $"LOWER({p.Add(v)})"))})"),
            Filters.Equal("customGroup", "t.\"customGroup\"", FieldType.String),
            new FilterSpec("priority", (values, p) =>
            {
                var numbers = values.Select(v => (long)Filters.ConvertQueryValue("priority", v, FieldType.Integer)).ToList();
                if (numbers.Any(n => n is < 0 or > 5)) throw ApiFailure.BadRequest("priority", "must be between 0 and 5");
                return $"t.priority IN ({string.Join(", ", numbers.Select(n => p.Add(n)))})";
            }),
            new FilterSpec("group", (values, p) => $"t.\"group\" IN ({string.Join(", ",
                values.Select(v => p.Add(Filters.ParseEnum("group", v, Groups))))})"),
            Filters.Equal("vehicleId", "t.\"vehicleId\""),
        ],
        SearchColumns = ["t.\"value\"", "t.\"vehicleName\"", "t.id"],
        DefaultSort = "created:desc",
    };
}

/// <summary>OCPP authorization statuses. ConcurrentTx is a run-time answer, never stored on a tag.</summary>
public static class IdTagStatuses
{
    public const string Accepted = "Accepted";
    public const string Blocked = "Blocked";
    public const string Expired = "Expired";
    public const string Invalid = "Invalid";
    public static readonly string[] Stored = [Accepted, Blocked, Expired, Invalid];
}
