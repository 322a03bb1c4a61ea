using System.Buffers.Binary;
using MediaBridge.Rtp;

namespace MediaBridge.Conference;

/// <summary>
/// Sends a room's video to a receiver: each packet copied, rewritten into the receiver's numbering under
/// the anchor of the source it comes from (a venue's leg id, or a per-receiver anchor for a camera), and
/// sent on the receiver's path. Used under the room's lock.
/// </summary>
internal sealed class RoomVideo
{
    private static uint nextFeedAnchor;

    private readonly byte[] scratch = new byte[RtpSocket.MaxPacket];

    /// <summary>
    /// The anchor a camera's packets go out under to this receiver. While a switch between cameras waits
    /// for the new one's keyframe the old one keeps flowing, and the two must not share an anchor: the new
    /// camera's numbering would then follow on from the old one's offsets and jump at the receiver.
    /// </summary>
    public static uint FeedAnchor(ConferenceLeg receiver, uint feedId)
    {
        if (receiver.FeedAnchorOf != feedId)
        {
            NewFeedAnchor(receiver, feedId);
        }

        return receiver.FeedAnchor;
    }

    /// <summary>A fresh anchor for the receiver's copy of a camera's stream, its numbering starting over from the next packet.</summary>
    public static void NewFeedAnchor(ConferenceLeg receiver, uint feedId)
    {
        receiver.FeedAnchor = CameraFeed.IdRange | 0x4000_0000 | (Interlocked.Increment(ref nextFeedAnchor) & 0x3FFF_FFFF);
        receiver.FeedAnchorOf = feedId;
    }

    /// <summary>What the switch releases once the old source's frame has ended, under the anchor of the source it is from.</summary>
    public void SendHeld(ConferenceLeg receiver, VideoSwitch s, long nowTicks)
    {
        while (s.TakeHeld(out var held, out var length))
        {
            if (RtpHeader.TryRead(held.AsSpan(0, length), out var heldHeader) && s.Current is { } current)
            {
                Send(receiver, held.AsSpan(0, length), heldHeader, (current & CameraFeed.IdRange) != 0 ? FeedAnchor(receiver, current) : current, nowTicks);
            }

            System.Buffers.ArrayPool<byte>.Shared.Return(held);
        }
    }

    /// <summary>One packet to one receiver, numbered as from <paramref name="source"/>; nothing while the receiver cannot send.</summary>
    public void Send(ConferenceLeg receiver, ReadOnlySpan<byte> packet, in RtpHeader header, uint source, long nowTicks)
    {
        var stream = receiver.Video;
        if (!stream.CanSend)
        {
            return;
        }

        var copy = scratch.AsSpan(0, packet.Length);
        packet.CopyTo(copy);
        receiver.VideoOut.Rewrite(copy, header, source, nowTicks);
        RtpHeader.SetPayloadType(copy, (byte)stream.Negotiated!.Codec.PayloadType);
        stream.Path.SendRtp(copy);
        stream.PacketsOut++;
        stream.BytesOut += packet.Length;
        stream.LastTimestampOut = BinaryPrimitives.ReadUInt32BigEndian(copy[4..]);
    }
}
