namespace Command.Web.Realtime;

/// <summary>SignalR group names for the three kinds of subscription.</summary>
public static class HubGroups
{
    public static string Region(string code) => "region:" + code;

    public static string Session(string id) => "session:" + id;

    public static string Incident(string id) => "incident:" + id;
}
