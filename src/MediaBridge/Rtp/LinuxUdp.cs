using System.Runtime.InteropServices;

namespace MediaBridge.Rtp;

/// <summary>
/// recvmmsg and sendmmsg from the C library, with the 64-bit Linux layouts of struct iovec, msghdr and mmsghdr
/// they take. Buffers pass as pointers to memory the caller keeps pinned, so no call allocates.
/// </summary>
internal static unsafe partial class LinuxUdp
{
    /// <summary>MSG_WAITFORONE: block for the first datagram, then take only what is already queued.</summary>
    public const int WaitForOne = 0x10000;

    /// <summary>MSG_TRUNC in a received message's flags: the datagram was longer than its buffer.</summary>
    public const int Truncated = 0x20;

    /// <summary>The most messages one call takes (UIO_MAXIOV).</summary>
    public const int MaxMessages = 1024;

    public const int Interrupted = 4;
    public const int BadDescriptor = 9;
    public const int WouldBlock = 11;
    public const int Invalid = 22;
    public const int NotSocket = 88;

    private const int SolSocket = 1;
    private const int SoReceiveTimeout = 20;

    private static readonly Lazy<bool> Usable = new(Probe);

    /// <summary>True on 64-bit Linux once both calls were found in the C library; elsewhere sockets use .NET's own calls.</summary>
    public static bool IsAvailable => Usable.Value;

    [LibraryImport("libc", EntryPoint = "recvmmsg", SetLastError = true)]
    public static partial int ReceiveMessages(int socket, Message* messages, uint count, int flags, void* timeout);

    [LibraryImport("libc", EntryPoint = "sendmmsg", SetLastError = true)]
    public static partial int SendMessages(int socket, Message* messages, uint count, int flags);

    /// <summary>SO_RCVTIMEO as struct timeval, so a blocked receive also wakes now and then on its own.</summary>
    public static byte[] ReceiveTimeout(TimeSpan timeout)
    {
        var value = new byte[16];
        var micros = (long)timeout.TotalMicroseconds;
        BitConverter.TryWriteBytes(value, micros / 1_000_000);
        BitConverter.TryWriteBytes(value.AsSpan(8), micros % 1_000_000);
        return value;
    }

    public static (int Level, int Name) ReceiveTimeoutOption => (SolSocket, SoReceiveTimeout);

    private static bool Probe()
    {
        if (!OperatingSystem.IsLinux() || !Environment.Is64BitProcess || sizeof(Message) != 64)
        {
            return false;
        }

        try
        {
            // An invalid descriptor only proves that the entry points resolve.
            return ReceiveMessages(-1, null, 0, 0, null) == -1 && SendMessages(-1, null, 0, 0) == -1;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct IoVector
    {
        public byte* Base;
        public nuint Length;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct MessageHeader
    {
        public byte* Name;
        public uint NameLength;
        public IoVector* Vectors;
        public nuint VectorCount;
        public byte* Control;
        public nuint ControlLength;
        public int Flags;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct Message
    {
        public MessageHeader Header;
        public uint Length;
    }
}
