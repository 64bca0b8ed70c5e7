using Compliance.Core.Keys;
using Microsoft.Extensions.Options;

namespace Compliance.Core.Subjects;

/// <summary>
/// The HMAC secret behind the employee-id → surrogate lookup (DESIGN invariant 2). It lives apart from the data:
/// a Key Vault secret in Azure, a local key file in development.
/// </summary>
public interface ISubjectLookupSecret
{
    Task<byte[]> GetAsync(CancellationToken cancellationToken = default);
}

/// <summary>Development custody of the lookup secret: <c>subject-lookup-hmac.key</c>, owner-only, created on first use.</summary>
internal sealed class LocalSubjectLookupSecret(IOptions<LocalKeyOptions> options) : ISubjectLookupSecret
{
    private readonly Lazy<byte[]> _secret = new(() => LocalKeyFile.LoadOrCreate(options.Value.Directory, "subject-lookup-hmac.key"));

    public Task<byte[]> GetAsync(CancellationToken cancellationToken = default) => Task.FromResult(_secret.Value);
}
