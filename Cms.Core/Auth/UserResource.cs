using Cms.Core.Resources;

namespace Cms.Core.Auth;

/// <summary>/v2/users: people and services that hold API tokens for one customer.</summary>
public static class UserResource
{
    private const string PhonePattern = @"^\+[1-9]\d{1,14}$";
    private const string EmailPattern = @"^[^@\s]+@[^@\s]+\.[^@\s]+$";

    public static readonly ResourceSpec Spec = new()
    {
        Name = "user",
        Table = "users",
        Fields =
        [
            F.Str("name", 150) with { Required = true, Nullable = false },
            F.Str("password", 256) with { Required = true, Nullable = false, WriteOnly = true },
            F.Str("firstName", 150) with { Required = true, Nullable = false },
            F.Str("lastName", 150) with { Required = true, Nullable = false },
            F.Str("email", 254) with { Pattern = EmailPattern },
            F.Str("phone", 16) with { Pattern = PhonePattern },
            F.Enum("type", UserTypes.All) with { Default = UserTypes.User, Nullable = false },
            F.Enum("language", "en", "es") with { Default = "en" },
            F.Bool("oauth", false) with { Immutable = true },
            F.Bool("favorite", false),
            F.Str("profileImageUrl", 2048),
        ],
        Derived = [new("customer", FieldType.Uuid, "t.customerId")],
        Filters = [Filters.Equal("email", "t.email", FieldType.String), Filters.Equal("type", "t.type", FieldType.String)],
        SearchColumns = ["t.name", "t.firstName", "t.lastName", "t.email"],
        DefaultSort = "created:asc",
    };

    /// <summary>What a user may change about themselves (PATCH /v2/users/me): not their type.</summary>
    public static readonly IReadOnlyList<FieldSpec> SelfFields =
        Spec.Fields.Where(f => f.Name is not ("type" or "oauth")).Select(f => f with { Required = false }).ToList();

    /// <summary>POST /v2/users also takes "customer"; only the caller's own customer is allowed here.</summary>
    public static readonly IReadOnlyList<FieldSpec> CreateFields =
        [.. Spec.Fields.Where(f => f.Name != "profileImageUrl"), F.Id("customer")];

    public static readonly IReadOnlyList<FieldSpec> LoginFields =
    [
        F.Str("name", 150) with { Required = true, Nullable = false },
        F.Str("password", 256) with { Required = true, Nullable = false },
    ];
}
