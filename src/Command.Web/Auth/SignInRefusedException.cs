namespace Command.Web.Auth;

/// <summary>Unknown user or wrong password; answered with 401.</summary>
public sealed class SignInRefusedException(string message) : Exception(message);
