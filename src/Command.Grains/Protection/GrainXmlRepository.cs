using System.Collections.ObjectModel;
using System.Xml.Linq;
using Command.Contracts.Protection;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace Command.Grains.Protection;

/// <summary>
/// Data Protection's key storage over the key ring grain, so the keys live in the cluster's durable store.
/// The interface is synchronous; Data Protection caches the ring and reads it rarely, so blocking is brief.
/// The calls run on the pool, away from any grain's scheduler that may have asked.
/// </summary>
public sealed class GrainXmlRepository(IGrainFactory grains) : IXmlRepository
{
    private IKeyRingGrain Ring => grains.GetGrain<IKeyRingGrain>(IKeyRingGrain.DefaultKey);

    public IReadOnlyCollection<XElement> GetAllElements()
    {
        var all = Task.Run(() => Ring.GetAllAsync()).GetAwaiter().GetResult();
        return new ReadOnlyCollection<XElement>([.. all.Select(x => XElement.Parse(x))]);
    }

    public void StoreElement(XElement element, string friendlyName) =>
        Task.Run(() => Ring.StoreAsync(friendlyName, element.ToString(SaveOptions.DisableFormatting))).GetAwaiter().GetResult();
}
