namespace MediaBridge.Sip.Registrar;

/// <summary>
/// Where the registrar keeps its bindings so they outlive the process and other bridges can reach
/// the terminals. Calls return at once: the store queues its writes and never throws.
/// </summary>
public interface IBindingStore
{
    void Save(SipBinding binding);

    void Remove(SipBinding binding);
}
