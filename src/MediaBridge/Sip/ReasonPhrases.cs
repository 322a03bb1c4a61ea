namespace MediaBridge.Sip;

/// <summary>The reason phrases of RFC 3261 §21 for the codes this bridge sends.</summary>
public static class ReasonPhrases
{
    public static string For(int status) => status switch
    {
        100 => "Trying",
        180 => "Ringing",
        200 => "OK",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        406 => "Not Acceptable",
        408 => "Request Timeout",
        413 => "Request Entity Too Large",
        415 => "Unsupported Media Type",
        416 => "Unsupported URI Scheme",
        420 => "Bad Extension",
        481 => "Call/Transaction Does Not Exist",
        486 => "Busy Here",
        487 => "Request Terminated",
        488 => "Not Acceptable Here",
        500 => "Server Internal Error",
        501 => "Not Implemented",
        503 => "Service Unavailable",
        505 => "Version Not Supported",
        _ => status switch { < 200 => "Provisional", < 300 => "Success", < 400 => "Redirection", < 500 => "Client Error", < 600 => "Server Error", _ => "Global Failure" },
    };
}
