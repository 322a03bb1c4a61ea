namespace MediaBridge.Sip.Registration;

/// <summary>Whether the registrar holds this side's binding, as its last answer said.</summary>
public enum RegistrationStatus
{
    Offline,
    Registered,
}
