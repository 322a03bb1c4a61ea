using System.Text;
using MediaBridge.Stun;
using MediaBridge.Tests.Stun;

namespace MediaBridge.Tests.Ice;

/// <summary>Connectivity checks as a browser sends them (RFC 8445 §7.2.2), with one thing or another wrong on request.</summary>
internal static class Check
{
    public static byte[] Build(
        string? username = Rfc5769.Username,
        string password = Rfc5769.Password,
        bool controlling = true,
        bool useCandidate = false,
        bool integrity = true,
        bool fingerprint = true,
        ushort? extra = null,
        ushort type = StunMessageType.BindingRequest)
    {
        var buffer = new byte[256];
        Span<byte> transactionId = stackalloc byte[StunMessage.TransactionIdLength];
        StunWriter.NewTransactionId(transactionId);
        var writer = new StunWriter(buffer, type, transactionId);
        if (username is not null)
        {
            writer.AddText(StunAttributeType.Username, username);
        }

        writer.AddUInt32(StunAttributeType.Priority, 0x6E0001FF);
        if (controlling)
        {
            writer.AddUInt64(StunAttributeType.IceControlling, 0x1122334455667788);
        }

        if (useCandidate)
        {
            writer.Add(StunAttributeType.UseCandidate, []);
        }

        if (extra is { } attribute)
        {
            writer.AddUInt32(attribute, 0);
        }

        if (integrity)
        {
            writer.AddMessageIntegrity(Encoding.UTF8.GetBytes(password));
        }

        if (fingerprint)
        {
            writer.AddFingerprint();
        }

        return writer.Written.ToArray();
    }
}
