using Compliance.Core.SubjectKeys;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace Compliance.Functions.Keys;

/// <summary>Daily (app setting <c>KEY_ROTATION_SCHEDULE</c>, NCRONTAB in UTC): rotates subject keys past the policy period and the root key when due, and retires versions no data needs.</summary>
public sealed partial class KeyRotationFunction(KeyRotationService rotation, ILogger<KeyRotationFunction> logger)
{
    public const string Actor = "job:key-rotation";

    [Function("KeyRotation")]
    public async Task RunAsync([TimerTrigger("%KEY_ROTATION_SCHEDULE%")] TimerInfo timer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(timer);
        var result = await rotation.RotateDueAsync(Actor, cancellationToken);
        LogRotated(logger, result.SubjectKeysRotated, result.Root is not null, result.Root?.Rewrapped ?? 0, result.SealKeyVersion is not null, result.VersionsRetired);
    }

    [LoggerMessage(EventId = 3101, Level = LogLevel.Information, Message = "Key rotation: {SubjectKeys} subject keys rotated; root rotated: {RootRotated} ({Rewrapped} subject keys rewrapped); seal key rotated: {SealKeyRotated}; {Retired} old versions retired")]
    private static partial void LogRotated(ILogger logger, int subjectKeys, bool rootRotated, int rewrapped, bool sealKeyRotated, int retired);
}
