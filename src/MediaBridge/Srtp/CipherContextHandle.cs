using Microsoft.Win32.SafeHandles;

namespace MediaBridge.Srtp;

/// <summary>An EVP_CIPHER_CTX* from EVP_CIPHER_CTX_new, freed (and its key schedule cleansed) exactly once.</summary>
internal sealed class CipherContextHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public CipherContextHandle()
        : base(ownsHandle: true)
    {
    }

    protected override bool ReleaseHandle()
    {
        LibCrypto.CipherContextFree(handle);
        return true;
    }
}
