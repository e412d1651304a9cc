namespace Cms.Ocpp.Schemas;

/// <summary>Which half of an action a payload is: the CALL's (request) or the CALLRESULT's (response).</summary>
public enum SchemaKind
{
    Request,
    Response,
}
