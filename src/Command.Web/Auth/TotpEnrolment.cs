namespace Command.Web.Auth;

/// <summary>A new one-time-code secret, shown once: base32 for typing, and an otpauth:// URI for a QR code.</summary>
public sealed record TotpEnrolment(string Secret, string Uri);
