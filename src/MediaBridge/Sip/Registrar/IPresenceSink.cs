namespace MediaBridge.Sip.Registrar;

/// <summary>Where registrations are reported: the control layer turns them into venue online and offline status.</summary>
public interface IPresenceSink
{
    void Registered(SipBinding binding);

    void Unregistered(string user, string reason);

    /// <summary>Repeated every keep-alive round for each terminal still registered, so the fact does not lapse.</summary>
    void StillRegistered(SipBinding binding)
    {
    }
}
