using System.Text;
using Compliance.Core.Audit;
using Compliance.Core.Keys;

namespace Compliance.Core.Reports;

/// <summary>Whether the seal a report or statement rests on verifies with the key it names; a bad or unknown signature is false, not an error.</summary>
internal static class SealSignature
{
    public static async Task<bool> IsValidAsync(IAuditSigner signer, AuditSeal seal, string? signature, CancellationToken cancellationToken)
    {
        try
        {
            return await signer.VerifyAsync(Encoding.UTF8.GetBytes(seal.Body), Convert.FromBase64String(signature ?? ""), seal.Algorithm, seal.KeyId, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is FormatException or RootKeyNotFoundException or KeyCustodyForbiddenException)
        {
            return false;
        }
    }
}
