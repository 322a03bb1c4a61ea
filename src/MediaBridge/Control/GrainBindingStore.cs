using System.Net;
using Command.Contracts.Venues;
using MediaBridge.Sip.Registrar;
using Microsoft.Extensions.Logging;

namespace MediaBridge.Control;

/// <summary>
/// Keeps the registrar's bindings in the registrations grain, marked with this bridge's name; writes
/// are queued and retried so SIP handling never waits on the cluster.
/// </summary>
public sealed partial class GrainBindingStore(IGrainFactory grains, ILogger<GrainBindingStore> logger) : IBindingStore
{
    private readonly GrainOutbox outbox = new(logger, attempts: 6);

    public string BridgeId { get; set; } = "";

    private IRegistrationsGrain Registrations => grains.GetGrain<IRegistrationsGrain>(IRegistrationsGrain.DefaultKey);

    public void Save(SipBinding binding)
    {
        var record = new RegistrationBinding(binding.User, binding.Contact, binding.Source.ToString(), binding.Reliable, binding.Expires, binding.CallId, binding.CSeq, BridgeId);
        outbox.Post($"Saving the registration of {binding.User}", () => Registrations.SaveAsync(record));
    }

    public void Remove(SipBinding binding) =>
        outbox.Post($"Removing the registration of {binding.User}", () => Registrations.RemoveAsync(binding.User, binding.Contact, BridgeId));

    /// <summary>Every unexpired binding in the store, whichever bridge took it; throws when the cluster cannot be reached.</summary>
    public async Task<IReadOnlyList<SipBinding>> LoadAsync()
    {
        var all = await Registrations.GetAllAsync();
        return [.. all.Select(r => IPEndPoint.TryParse(r.Source, out var source)
                ? new SipBinding(r.User, r.Contact, source, r.Expires, r.CallId, r.CSeq, r.Reliable, r.BridgeId)
                : null).OfType<SipBinding>()];
    }

    public Task RunAsync(CancellationToken cancel) => outbox.RunAsync(cancel);
}
