using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace MediaBridge.Rtp;

/// <summary>
/// What one receive thread reads into with recvmmsg: a pinned slot of <see cref="RtpSocket.MaxPacket"/> + 1 bytes per
/// datagram (one more than a packet may be, so an oversized one shows), a <see cref="SocketAddress"/> per slot that
/// the kernel writes the source into, and the message headers pointing at them, all made once per thread.
/// </summary>
internal sealed unsafe class ReceiveBatch : IDisposable
{
    public const int Slots = 32;
    private const int SlotBytes = RtpSocket.MaxPacket + 1;

    private readonly byte[] buffer = GC.AllocateUninitializedArray<byte>(Slots * SlotBytes, pinned: true);
    private readonly SocketAddress[] sources = new SocketAddress[Slots];
    private readonly MemoryHandle[] pins = new MemoryHandle[Slots];
    private readonly LinuxUdp.Message* messages;
    private readonly LinuxUdp.IoVector* vectors;

    public ReceiveBatch(AddressFamily family)
    {
        messages = (LinuxUdp.Message*)NativeMemory.AllocZeroed((nuint)(Slots * sizeof(LinuxUdp.Message)));
        vectors = (LinuxUdp.IoVector*)NativeMemory.AllocZeroed((nuint)(Slots * sizeof(LinuxUdp.IoVector)));
        var data = (byte*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(buffer));
        for (var i = 0; i < Slots; i++)
        {
            sources[i] = new SocketAddress(family);
            pins[i] = sources[i].Buffer.Pin();
            vectors[i] = new LinuxUdp.IoVector { Base = data + (i * SlotBytes), Length = SlotBytes };
        }
    }

    /// <summary>Waits for at least one datagram and takes what else is queued; the count, or -1 with the error number.</summary>
    public int Receive(int socket, out int error)
    {
        for (var i = 0; i < Slots; i++)
        {
            var source = sources[i];
            source.Size = source.Buffer.Length;
            messages[i].Header = new LinuxUdp.MessageHeader
            {
                Name = (byte*)pins[i].Pointer,
                NameLength = (uint)source.Size,
                Vectors = vectors + i,
                VectorCount = 1,
            };
            messages[i].Length = 0;
        }

        var count = LinuxUdp.ReceiveMessages(socket, messages, Slots, LinuxUdp.WaitForOne, null);
        error = count < 0 ? Marshal.GetLastPInvokeError() : 0;
        for (var i = 0; i < count; i++)
        {
            sources[i].Size = (int)Math.Min(messages[i].Header.NameLength, (uint)sources[i].Buffer.Length);
        }

        return count;
    }

    /// <summary>The i-th datagram (cut to a packet's length when <see cref="Oversized"/>).</summary>
    public ReadOnlySpan<byte> Packet(int i) => buffer.AsSpan(i * SlotBytes, (int)Math.Min(messages[i].Length, RtpSocket.MaxPacket));

    /// <summary>The i-th datagram was longer than a packet may be; it is dropped as the old receive loop dropped it.</summary>
    public bool Oversized(int i) => messages[i].Length > RtpSocket.MaxPacket || (messages[i].Header.Flags & LinuxUdp.Truncated) != 0;

    public SocketAddress Source(int i) => sources[i];

    public void Dispose()
    {
        foreach (var pin in pins)
        {
            pin.Dispose();
        }

        NativeMemory.Free(messages);
        NativeMemory.Free(vectors);
    }
}
