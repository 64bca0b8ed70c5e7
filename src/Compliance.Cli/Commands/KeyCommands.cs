using System.CommandLine;
using Compliance.Core.SubjectKeys;
using Microsoft.Extensions.DependencyInjection;

namespace Compliance.Cli.Commands;

/// <summary><c>compliance keys status | keys rotate [--root]</c>: key custody at a glance, and scheduled rotation on demand.</summary>
internal static class KeyCommands
{
    public const string Actor = "job:key-rotation";

    public static Command Create(CommandRuntime runtime)
    {
        var status = new Command("status", "Show the wrapping root key, subject keys due for rotation and the shred horizon");
        status.SetAction((parse, cancellationToken) => runtime.RunAsync(parse, async context =>
        {
            var s = await Rotation(context).GetStatusAsync(cancellationToken).ConfigureAwait(false);
            context.WriteResult(
                new { command = "keys status", status = s, keyCustody = s.DevelopmentCustody ? "development" : "azure-key-vault" },
                string.Join(
                    Environment.NewLine,
                    $"Key custody: {context.Settings.KeyCustodyLabel}",
                    $"Root key {SubjectKeyService.RootKeyName}: version {s.RootKeyVersion}, created {s.RootKeyCreated:O}, rotation due {s.RootRotationDue:O}",
                    $"Subject keys: {s.SubjectKeys}, {s.SubjectKeysDueForRotation} due for rotation",
                    $"Shred horizon: a copy of the key table taken now is unreadable after {s.ShredHorizon:O}"
                        + (s.RootRotationOverdue ? " (OVERDUE: run 'compliance keys rotate --root')" : "")));
            return ExitCodes.Success;
        }));

        var root = new Option<bool>("--root") { Description = "Also rotate the root key: rewrap every subject key, then disable the old root versions" };
        var rotate = new Command("rotate", "Rotate subject keys past the policy's rotation period (and the root key with --root), and retire versions whose data has all expired") { root };
        rotate.SetAction((parse, cancellationToken) => runtime.RunAsync(parse, async context =>
        {
            var rotation = Rotation(context);
            var result = await rotation.RotateAsync(parse.GetValue(root), Actor, cancellationToken).ConfigureAwait(false);
            result = result with { VersionsRetired = await rotation.RetireAsync(Actor, cancellationToken).ConfigureAwait(false) };
            var human = $"Rotated {result.SubjectKeysRotated} subject key{(result.SubjectKeysRotated == 1 ? "" : "s")}; retired {result.VersionsRetired} version(s) no data needs any more."
                + (result.Root is { } r ? $" Root key rotated to {r.NewRootVersion}: {r.Rewrapped} subject keys rewrapped, {r.DisabledVersions.Count} old root version(s) disabled." : "");
            context.WriteResult(new { command = "keys rotate", result }, human);
            return ExitCodes.Success;
        }));

        return new Command("keys", "Key custody: status and rotation") { status, rotate };
    }

    private static KeyRotationService Rotation(CommandContext context) => context.Services.GetRequiredService<KeyRotationService>();
}
