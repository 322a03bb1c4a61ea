using System.Buffers.Binary;

namespace MediaBridge.Stun;

/// <summary>Walks the attributes of a message that <see cref="StunMessage.TryParse"/> accepted, in order.</summary>
public ref struct StunAttributeEnumerator
{
    private readonly ReadOnlySpan<byte> message;
    private int offset;
    private StunAttribute current;

    internal StunAttributeEnumerator(ReadOnlySpan<byte> message)
    {
        this.message = message;
        offset = StunMessage.HeaderLength;
    }

    public readonly StunAttribute Current => current;

    public readonly StunAttributeEnumerator GetEnumerator() => this;

    public bool MoveNext()
    {
        if (message.Length - offset < 4)
        {
            return false;
        }

        var type = BinaryPrimitives.ReadUInt16BigEndian(message[offset..]);
        var length = BinaryPrimitives.ReadUInt16BigEndian(message[(offset + 2)..]);
        if (length > message.Length - offset - 4)
        {
            return false;
        }

        current = new StunAttribute(type, message.Slice(offset + 4, length));
        offset += 4 + StunMessage.Padded(length);
        return true;
    }
}
