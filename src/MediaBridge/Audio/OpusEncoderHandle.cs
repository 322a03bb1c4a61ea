using Microsoft.Win32.SafeHandles;

namespace MediaBridge.Audio;

/// <summary>An OpusEncoder* from opus_encoder_create, destroyed exactly once even if its owner is never disposed.</summary>
internal sealed class OpusEncoderHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public OpusEncoderHandle()
        : base(ownsHandle: true)
    {
    }

    protected override bool ReleaseHandle()
    {
        OpusNative.EncoderDestroy(handle);
        return true;
    }
}
