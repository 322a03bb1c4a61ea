namespace Command.Web.Auth;

/// <summary>The five roles (分级授权); each user has one, bound to a region.</summary>
public static class CommandRoles
{
    public const string Admin = "admin";
    public const string ChairOperator = "chair-operator";
    public const string EmergencyOfficer = "emergency-officer";
    public const string MeetingOperator = "meeting-operator";
    public const string Viewer = "viewer";

    public static readonly IReadOnlyList<string> All = [Admin, ChairOperator, EmergencyOfficer, MeetingOperator, Viewer];
}
