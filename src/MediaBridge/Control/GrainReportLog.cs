using Microsoft.Extensions.Logging;

namespace MediaBridge.Control;

internal static partial class GrainReportLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "A report on {Subject} {Id} could not reach it")]
    public static partial void DeliveryFailed(ILogger logger, Exception e, string subject, string id);
}
