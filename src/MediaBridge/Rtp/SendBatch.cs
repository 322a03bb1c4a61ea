using System.Net;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace MediaBridge.Rtp;

/// <summary>
/// The sends a receive thread makes while it handles one batch of datagrams, held back until the batch is handled and
/// then given to the kernel with one sendmmsg per socket. A source's packet fanned out to N legs is N sends on N
/// sockets, so the batch forms per socket across consecutive packets: when recvmmsg brought K packets of a source,
/// each receiver's socket sends its K copies in one call. Under light load K is 1 and each copy leaves at once; under
/// heavy load the calls grow with the load. The packets and addresses are copied into pinned buffers that grow when a batch
/// needs more room and are kept, so a send allocates nothing once the thread has warmed up.
/// </summary>
internal sealed unsafe class SendBatch : IDisposable
{
    /// <summary>The room a socket address takes here; sockaddr_in6 (28 bytes) is the largest used.</summary>
    private const int AddressBytes = 32;

    /// <summary>Past this the batch is sent before more is added, so one batch never holds more than a few milliseconds of media.</summary>
    private const int MaxEntries = 4096;
    private const int MaxBytes = 4 << 20;

    [ThreadStatic]
    private static SendBatch? current;

    private readonly Dictionary<RtpSocket, int> groups = new(ReferenceEqualityComparer.Instance);
    private readonly List<(RtpSocket Socket, int Head, int Tail)> order = [];
    private Entry[] entries = new Entry[64];
    private byte[] data = GC.AllocateUninitializedArray<byte>(64 * 1024, pinned: true);
    private byte[] addresses = GC.AllocateUninitializedArray<byte>(64 * AddressBytes, pinned: true);
    private int count;
    private int used;
    private LinuxUdp.Message* messages;
    private LinuxUdp.IoVector* vectors;
    private int messageCapacity;

    /// <summary>The batch of the receive thread this code runs on, or null on any other thread (those send at once).</summary>
    public static SendBatch? Current => current;

    /// <summary>Makes a batch the calling thread's until it is disposed.</summary>
    public static SendBatch Enter() => current = new SendBatch();

    /// <summary>
    /// Whether sends are held for the flush. The receive thread holds them only for a batch of several datagrams: for a
    /// single one each receiver's socket would get one message either way, and sending at once spares the copy and lets
    /// the first receiver's copy leave before the last one is protected.
    /// </summary>
    public bool Holding { get; set; } = true;

    /// <summary>Holds a copy of the packet for the flush; false when it must go at once (not holding, or an address too long to hold).</summary>
    public bool TryAdd(RtpSocket socket, ReadOnlySpan<byte> packet, SocketAddress to)
    {
        if (!Holding || to.Size > AddressBytes)
        {
            return false;
        }

        if (count == MaxEntries || used + packet.Length > MaxBytes)
        {
            Flush();
        }

        Reserve(packet.Length);
        packet.CopyTo(data.AsSpan(used));
        to.Buffer.Span[..to.Size].CopyTo(addresses.AsSpan(count * AddressBytes));
        entries[count] = new Entry(used, packet.Length, to.Size, -1);
        used += packet.Length;
        if (groups.TryGetValue(socket, out var group))
        {
            var (s, head, tail) = order[group];
            entries[tail].Next = count;
            order[group] = (s, head, count);
        }
        else
        {
            groups[socket] = order.Count;
            order.Add((socket, count, count));
        }

        count++;
        return true;
    }

    /// <summary>Sends everything held, socket by socket, each socket's packets in the order they were added.</summary>
    public void Flush()
    {
        if (count == 0)
        {
            return;
        }

        if (messageCapacity < Math.Min(count, LinuxUdp.MaxMessages))
        {
            GrowMessages(Math.Min(LinuxUdp.MaxMessages, Math.Max(count, messageCapacity * 2)));
        }

        var dataBase = (byte*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(data));
        var addressBase = (byte*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(addresses));
        foreach (var (socket, head, _) in order)
        {
            var n = 0;
            for (var e = head; e >= 0; e = entries[e].Next)
            {
                ref readonly var entry = ref entries[e];
                vectors[n] = new LinuxUdp.IoVector { Base = dataBase + entry.Offset, Length = (nuint)entry.Length };
                messages[n] = new LinuxUdp.Message
                {
                    Header = new LinuxUdp.MessageHeader { Name = addressBase + (e * AddressBytes), NameLength = (uint)entry.AddressLength, Vectors = vectors + n, VectorCount = 1 },
                };
                if (++n == messageCapacity)
                {
                    socket.SendMessages(messages, n);
                    n = 0;
                }
            }

            if (n > 0)
            {
                socket.SendMessages(messages, n);
            }
        }

        count = 0;
        used = 0;
        groups.Clear();
        order.Clear();
    }

    public void Dispose()
    {
        if (current == this)
        {
            current = null;
        }

        NativeMemory.Free(messages);
        NativeMemory.Free(vectors);
        messages = null;
        vectors = null;
        messageCapacity = 0;
    }

    private void Reserve(int length)
    {
        if (count == entries.Length)
        {
            Array.Resize(ref entries, entries.Length * 2);
            var grown = GC.AllocateUninitializedArray<byte>(entries.Length * AddressBytes, pinned: true);
            addresses.CopyTo(grown, 0);
            addresses = grown;
        }

        if (used + length > data.Length)
        {
            var grown = GC.AllocateUninitializedArray<byte>(Math.Max(data.Length * 2, used + length), pinned: true);
            data.AsSpan(0, used).CopyTo(grown);
            data = grown;
        }
    }

    private void GrowMessages(int capacity)
    {
        NativeMemory.Free(messages);
        NativeMemory.Free(vectors);
        messages = (LinuxUdp.Message*)NativeMemory.AllocZeroed((nuint)(capacity * sizeof(LinuxUdp.Message)));
        vectors = (LinuxUdp.IoVector*)NativeMemory.AllocZeroed((nuint)(capacity * sizeof(LinuxUdp.IoVector)));
        messageCapacity = capacity;
    }

    private struct Entry(int offset, int length, int addressLength, int next)
    {
        public readonly int Offset = offset;
        public readonly int Length = length;
        public readonly int AddressLength = addressLength;
        public int Next = next;
    }
}
