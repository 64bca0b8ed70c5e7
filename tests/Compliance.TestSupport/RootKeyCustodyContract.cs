using System.Security.Cryptography;
using Compliance.Core.Keys;

namespace Compliance.TestSupport;

/// <summary>
/// The behaviour every root-key custody must have, run against the local development store and against the
/// Key Vault REST client (over an emulated vault): the same tests, so development and Azure cannot drift.
/// </summary>
public abstract class RootKeyCustodyContract
{
    protected abstract IRootKeyCustody Custody { get; }

    protected static string NewName() => "k" + Guid.NewGuid().ToString("N")[..12];

    [Fact]
    public async Task CreateKeyAsync_NewName_FirstEnabledVersion()
    {
        var name = NewName();

        var created = await Custody.CreateKeyAsync(name);
        var fetched = await Custody.GetKeyAsync(name);

        Assert.Equal(name, created.Name);
        Assert.True(created.Enabled);
        Assert.Equal(created.Version, fetched.Version);
        Assert.Equal(created.Modulus, fetched.Modulus);
        Assert.True(created.Modulus.Length >= 256);
    }

    [Fact]
    public async Task CreateKeyAsync_ExistingName_AddsAVersionThatBecomesLatest()
    {
        var name = NewName();
        var first = await Custody.CreateKeyAsync(name);

        var second = await Custody.CreateKeyAsync(name);

        Assert.NotEqual(first.Version, second.Version);
        Assert.Equal(second.Version, (await Custody.GetKeyAsync(name)).Version);
        Assert.Equal(first.Version, (await Custody.GetKeyAsync(name, first.Version)).Version);
    }

    [Fact]
    public async Task WrapKeyAsync_SubjectKey_UnwrapsToTheSameBytes()
    {
        var name = NewName();
        await Custody.CreateKeyAsync(name);
        var subjectKey = RandomNumberGenerator.GetBytes(32);

        var wrapped = await Custody.WrapKeyAsync(name, subjectKey);

        Assert.NotEqual(subjectKey, wrapped.Value);
        Assert.Equal(subjectKey, await Custody.UnwrapKeyAsync(wrapped));
    }

    [Fact]
    public async Task RotateKeyAsync_OldWrappedKeys_StillUnwrapNewOnesUseTheNewVersion()
    {
        var name = NewName();
        var original = await Custody.CreateKeyAsync(name);
        var oldKey = RandomNumberGenerator.GetBytes(32);
        var oldWrapped = await Custody.WrapKeyAsync(name, oldKey);

        var rotated = await Custody.RotateKeyAsync(name);
        var newWrapped = await Custody.WrapKeyAsync(name, oldKey);

        Assert.Equal(original.Version, oldWrapped.KeyVersion);
        Assert.Equal(rotated.Version, newWrapped.KeyVersion);
        Assert.Equal(oldKey, await Custody.UnwrapKeyAsync(oldWrapped));
    }

    [Fact]
    public async Task DisableVersionAsync_ThenUnwrap_Forbidden()
    {
        var name = NewName();
        var version = await Custody.CreateKeyAsync(name);
        var wrapped = await Custody.WrapKeyAsync(name, RandomNumberGenerator.GetBytes(32));

        var disabled = await Custody.DisableVersionAsync(name, version.Version);

        Assert.False(disabled.Enabled);
        await Assert.ThrowsAsync<KeyCustodyForbiddenException>(() => Custody.UnwrapKeyAsync(wrapped));
    }

    [Fact]
    public async Task SignAsync_Digest_VerifiesAndAlteredDigestDoesNot()
    {
        var name = NewName();
        var version = await Custody.CreateKeyAsync(name);
        var digest = SHA256.HashData("seal 42"u8);

        var signature = await Custody.SignAsync(name, version.Version, digest);

        Assert.True(await Custody.VerifyAsync(name, version.Version, digest, signature));
        Assert.False(await Custody.VerifyAsync(name, version.Version, SHA256.HashData("seal 43"u8), signature));
    }

    [Fact]
    public async Task DeleteKeyAsync_KeyIsGoneButRecoverable()
    {
        var name = NewName();
        await Custody.CreateKeyAsync(name);
        var wrapped = await Custody.WrapKeyAsync(name, RandomNumberGenerator.GetBytes(32));

        var deleted = await Custody.DeleteKeyAsync(name);

        Assert.Equal(name, deleted.Name);
        Assert.Equal(name, (await Custody.GetDeletedKeyAsync(name)).Name);
        await Assert.ThrowsAsync<RootKeyNotFoundException>(() => Custody.GetKeyAsync(name));
        await Assert.ThrowsAsync<RootKeyNotFoundException>(() => Custody.UnwrapKeyAsync(wrapped));
        await Assert.ThrowsAsync<KeyDeletedButRecoverableException>(() => Custody.CreateKeyAsync(name));
    }

    [Fact]
    public async Task RecoverDeletedKeyAsync_KeyWorksAgain()
    {
        var name = NewName();
        await Custody.CreateKeyAsync(name);
        var subjectKey = RandomNumberGenerator.GetBytes(32);
        var wrapped = await Custody.WrapKeyAsync(name, subjectKey);
        await Custody.DeleteKeyAsync(name);

        await Custody.RecoverDeletedKeyAsync(name);

        Assert.Equal(subjectKey, await Custody.UnwrapKeyAsync(wrapped));
        await Assert.ThrowsAsync<RootKeyNotFoundException>(() => Custody.GetDeletedKeyAsync(name));
    }

    [Fact]
    public async Task PurgeDeletedKeyAsync_WrappedKeysCanNeverBeUnwrapped()
    {
        var name = NewName();
        await Custody.CreateKeyAsync(name);
        var wrapped = await Custody.WrapKeyAsync(name, RandomNumberGenerator.GetBytes(32));
        await Custody.DeleteKeyAsync(name);

        await Custody.PurgeDeletedKeyAsync(name);

        await Assert.ThrowsAsync<RootKeyNotFoundException>(() => Custody.GetDeletedKeyAsync(name));
        await Assert.ThrowsAsync<RootKeyNotFoundException>(() => Custody.RecoverDeletedKeyAsync(name));
        await Assert.ThrowsAsync<RootKeyNotFoundException>(() => Custody.UnwrapKeyAsync(wrapped));
    }

    [Fact]
    public async Task PurgeDeletedKeyAsync_KeyNotDeleted_NotFound()
    {
        var name = NewName();
        await Custody.CreateKeyAsync(name);

        await Assert.ThrowsAsync<RootKeyNotFoundException>(() => Custody.PurgeDeletedKeyAsync(name));
        Assert.Equal(name, (await Custody.GetKeyAsync(name)).Name);
    }

    [Fact]
    public async Task GetKeyAsync_UnknownKeyOrVersion_NotFound()
    {
        var name = NewName();

        await Assert.ThrowsAsync<RootKeyNotFoundException>(() => Custody.GetKeyAsync(name));
        await Custody.CreateKeyAsync(name);
        await Assert.ThrowsAsync<RootKeyNotFoundException>(() => Custody.GetKeyAsync(name, "0123456789abcdef0123456789abcdef"));
    }

    [Fact]
    public async Task SetRotationPolicyAsync_Policy_ReadBackTheSame()
    {
        var name = NewName();
        await Custody.CreateKeyAsync(name);
        var policy = new RootKeyRotationPolicy(TimeSpan.FromDays(30), TimeSpan.FromDays(7), TimeSpan.FromDays(60));

        await Custody.SetRotationPolicyAsync(name, policy);

        Assert.Equal(policy, await Custody.GetRotationPolicyAsync(name));
    }
}
