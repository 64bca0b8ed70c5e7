using Compliance.Core.Audit;
using Compliance.Core.Keys;
using Compliance.Core.Policy;
using Compliance.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Compliance.Core.Tests.Audit;

/// <summary>The audit services wired over in-memory stores, a fake clock and a throwaway development key.</summary>
internal sealed class AuditTestHost : IDisposable
{
    private readonly TemporaryDirectory _keys = new();

    public AuditTestHost(int streamCount = 4)
    {
        Options = Microsoft.Extensions.Options.Options.Create(new AuditOptions { StreamCount = streamCount });
        RootKeys = new LocalRootKeyStore(
            Microsoft.Extensions.Options.Options.Create(new LocalKeyOptions { Directory = _keys.Path, RootKeySize = 2048 }),
            Clock,
            NullLogger<LocalRootKeyStore>.Instance);
        Signer = new RootKeyAuditSigner(RootKeys);
        Trail = NewWriter();
        PolicyRecorder = new PolicyRecorder(Policy, Trail);
        Sealer = new AuditSealService(Events, Seals, Signer, Trail, PolicyRecorder, Clock, Options);
        Verifier = new AuditVerifier(Events, Seals, Signer, Options);
    }

    public static ActivePolicy Policy { get; } = PolicyDocument.LoadDefault();

    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 11, 30, 9, 0, 0, TimeSpan.Zero));

    public InMemoryAuditEventStore Events { get; } = new();

    public InMemoryAuditSealStore Seals { get; } = new();

    public IOptions<AuditOptions> Options { get; }

    public LocalRootKeyStore RootKeys { get; }

    public RootKeyAuditSigner Signer { get; }

    public AuditTrail Trail { get; }

    public PolicyRecorder PolicyRecorder { get; }

    public AuditSealService Sealer { get; }

    public AuditVerifier Verifier { get; }

    /// <summary>Another writer over the same stores, as a second function instance would be.</summary>
    public AuditTrail NewWriter() => new(Events, new AuditEventGuard(Policy), Clock, Options, NullLogger<AuditTrail>.Instance);

    public void Dispose()
    {
        RootKeys.Dispose();
        _keys.Dispose();
    }
}
