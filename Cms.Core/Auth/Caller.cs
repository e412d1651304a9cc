namespace Cms.Core.Auth;

/// <summary>Who is calling: the user behind the token and the customer whose rows they see.</summary>
public sealed record Caller(string UserId, string CustomerId, string UserType)
{
    public bool IsAdmin => UserType == UserTypes.Admin;
    public bool IsReadOnly => UserType == UserTypes.ReadOnly;
}

public static class UserTypes
{
    public const string Admin = "admin";
    public const string User = "user";
    public const string Service = "service";
    public const string ReadOnly = "read_only";
    public static readonly string[] All = [Admin, User, Service, ReadOnly];
}
