using System.Collections.Concurrent;
using MediaBridge.Sip.Registrar;

namespace MediaBridge.Tests.Sip.Registrar;

public sealed class PresenceRecorder : IPresenceSink
{
    public ConcurrentQueue<string> Events { get; } = new();

    public void Registered(SipBinding binding) => Events.Enqueue($"online {binding.User}");

    public void Unregistered(string user, string reason) => Events.Enqueue($"offline {user} ({reason})");

    public ConcurrentQueue<string> Repeated { get; } = new();

    public void StillRegistered(SipBinding binding) => Repeated.Enqueue(binding.User);
}
