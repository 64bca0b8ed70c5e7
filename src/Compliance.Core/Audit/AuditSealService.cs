using System.Text;
using Microsoft.Extensions.Options;

namespace Compliance.Core.Audit;

/// <summary>The outcome of sealing: the seal, where it was exported, and the SEAL event that records it.</summary>
public sealed record AuditSealResult(SignedAuditSeal Seal, string? ExportedTo, AuditReceipt SealEvent, bool DevelopmentCustody);

/// <summary>
/// Seals the audit trail: reads every stream's head, computes the Merkle root over them, chains to the
/// previous seal, signs, stores with a conditional insert (two sealers never fork the seal chain), exports
/// the seal, and records a SEAL event.
/// </summary>
public sealed class AuditSealService(
    IAuditEventStore events,
    IAuditSealStore seals,
    IAuditSigner signer,
    IAuditTrail trail,
    PolicyRecorder policyRecorder,
    TimeProvider clock,
    IOptions<AuditOptions> options,
    IAuditSealExporter? exporter = null)
{
    private const int MaxAttempts = 10;

    public async Task<AuditSealResult> SealAsync(string actor, CancellationToken cancellationToken = default)
    {
        await policyRecorder.EnsureRecordedAsync(actor, cancellationToken).ConfigureAwait(false);

        for (var attempt = 1; ; attempt++)
        {
            var latest = await seals.GetLatestAsync(cancellationToken).ConfigureAwait(false);
            var heads = await ReadHeadsAsync(latest, cancellationToken).ConfigureAwait(false);
            var signingKey = await signer.GetSigningKeyAsync(cancellationToken).ConfigureAwait(false);
            var seal = new AuditSeal(
                (latest?.Seal.Number ?? 0) + 1,
                clock.GetUtcNow(),
                latest?.Seal.Hash ?? AuditHashing.Genesis,
                heads,
                MerkleTree.Root(heads),
                signingKey.Algorithm,
                signingKey.KeyId);
            var signature = await signer.SignAsync(signingKey, Encoding.UTF8.GetBytes(seal.Body), cancellationToken).ConfigureAwait(false);
            var signed = new SignedAuditSeal(seal, Convert.ToBase64String(signature));

            if (await seals.TryInsertAsync(signed, cancellationToken).ConfigureAwait(false))
            {
                var exportedTo = options.Value.ExportSeals && exporter is not null
                    ? await exporter.ExportAsync(signed, cancellationToken).ConfigureAwait(false)
                    : null;
                var receipt = await trail.AppendAsync(
                    new AuditEvent
                    {
                        Type = AuditEventType.Seal,
                        Actor = actor,
                        Counts = new Dictionary<string, long> { ["streams"] = heads.Count, ["events"] = seal.EventCount },
                        Hashes = new Dictionary<string, string> { ["merkleRoot"] = seal.MerkleRoot, ["seal"] = seal.Hash },
                        Attributes = new Dictionary<string, string> { ["sealNumber"] = seal.Number.ToString(System.Globalization.CultureInfo.InvariantCulture) },
                        IdempotencyKey = "seal:" + seal.Number,
                    },
                    cancellationToken).ConfigureAwait(false);
                return new AuditSealResult(signed, exportedTo, receipt, signer.IsDevelopmentCustody);
            }

            if (attempt >= MaxAttempts)
            {
                throw new AuditAppendException($"Another sealer kept taking the next seal number; gave up after {attempt} attempts.");
            }
        }
    }

    private async Task<List<SealedStreamHead>> ReadHeadsAsync(SignedAuditSeal? latest, CancellationToken cancellationToken)
    {
        var streams = Enumerable.Range(0, options.Value.StreamCount).Select(AuditOptions.StreamName)
            .Union(latest?.Seal.Heads.Select(h => h.Stream) ?? [], StringComparer.Ordinal)
            .Order(StringComparer.Ordinal);
        var heads = new List<SealedStreamHead>();
        foreach (var stream in streams)
        {
            if (await events.GetHeadAsync(stream, cancellationToken).ConfigureAwait(false) is { } head)
            {
                heads.Add(new SealedStreamHead(stream, head.Sequence, head.Hash));
            }
        }

        return heads;
    }
}
