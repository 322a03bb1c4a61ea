using Microsoft.Win32.SafeHandles;

namespace MediaBridge.Audio;

/// <summary>An OpusDecoder* from opus_decoder_create, destroyed exactly once even if its owner is never disposed.</summary>
internal sealed class OpusDecoderHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public OpusDecoderHandle()
        : base(ownsHandle: true)
    {
    }

    protected override bool ReleaseHandle()
    {
        OpusNative.DecoderDestroy(handle);
        return true;
    }
}
