using NJsonSchema.Validation;

namespace Cms.Ocpp.Schemas;

/// <summary>
/// NJsonSchema error kinds → OCPP error codes:
/// out of enum/range/length/pattern → PropertyConstraintViolation;
/// missing required, extra property, too few/many items → OccurrenceConstraintViolation;
/// wrong JSON type or unparseable date-time/uri (OCPP treats dateTime as a type) → TypeConstraintViolation;
/// anything else → FormatViolation.
/// </summary>
internal static class SchemaErrorMapper
{
    public static OcppErrorCode Map(ValidationErrorKind kind) => kind switch
    {
        ValidationErrorKind.NotInEnumeration or
        ValidationErrorKind.StringTooLong or ValidationErrorKind.StringTooShort or
        ValidationErrorKind.NumberTooBig or ValidationErrorKind.NumberTooSmall or
        ValidationErrorKind.IntegerTooBig or
        ValidationErrorKind.NumberNotMultipleOf or ValidationErrorKind.IntegerNotMultipleOf or
        ValidationErrorKind.PatternMismatch or ValidationErrorKind.ItemsNotUnique
            => OcppErrorCode.PropertyConstraintViolation,

        ValidationErrorKind.PropertyRequired or ValidationErrorKind.NoAdditionalPropertiesAllowed or
        ValidationErrorKind.TooFewItems or ValidationErrorKind.TooManyItems or
        ValidationErrorKind.TooManyItemsInTuple or
        ValidationErrorKind.TooFewProperties or ValidationErrorKind.TooManyProperties
            => OcppErrorCode.OccurrenceConstraintViolation,

        ValidationErrorKind.StringExpected or ValidationErrorKind.NumberExpected or
        ValidationErrorKind.IntegerExpected or ValidationErrorKind.BooleanExpected or
        ValidationErrorKind.ObjectExpected or ValidationErrorKind.ArrayExpected or
        ValidationErrorKind.NullExpected or ValidationErrorKind.NoTypeValidates or
        ValidationErrorKind.DateTimeExpected or ValidationErrorKind.DateExpected or
        ValidationErrorKind.TimeExpected or ValidationErrorKind.UriExpected
            => OcppErrorCode.TypeConstraintViolation,

        _ => OcppErrorCode.FormatViolation,
    };

    /// <summary>The innermost error: wrapper kinds (array item, oneOf, …) hide the real cause in children.</summary>
    public static ValidationError Leaf(ValidationError error)
    {
        while (error is ChildSchemaValidationError child)
        {
            var inner = child.Errors.Values.SelectMany(e => e).FirstOrDefault();
            if (inner is null)
                break;
            error = inner;
        }
        return error;
    }

    /// <summary>"#/chargingProfile.limit" → "chargingProfile.limit"; a missing property is appended to its parent's path.</summary>
    public static string PathOf(ValidationError error)
    {
        var path = (error.Path ?? "").TrimStart('#').TrimStart('/');
        if (error.Kind == ValidationErrorKind.PropertyRequired && error.Property is { } p && !path.EndsWith(p, StringComparison.Ordinal))
            path = path.Length == 0 ? p : path + "." + p;
        return path.Length == 0 ? "(payload)" : path;
    }
}
