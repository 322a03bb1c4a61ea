using Microsoft.Win32.SafeHandles;

namespace MediaBridge.Srtp;

/// <summary>An HMAC_CTX* from HMAC_CTX_new, freed (and its keyed state cleansed) exactly once.</summary>
internal sealed class HmacContextHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public HmacContextHandle()
        : base(ownsHandle: true)
    {
    }

    protected override bool ReleaseHandle()
    {
        LibCrypto.HmacContextFree(handle);
        return true;
    }
}
