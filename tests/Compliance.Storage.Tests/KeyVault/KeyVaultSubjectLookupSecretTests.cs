using Azure;
using Azure.Security.KeyVault.Secrets;
using Compliance.Storage.KeyVault;
using Microsoft.Extensions.Logging;
using Moq;

namespace Compliance.Storage.Tests.KeyVault;

/// <summary>The lookup secret over Key Vault Secrets, with the SDK's <see cref="SecretClient"/> mocked at its seam.</summary>
public sealed class KeyVaultSubjectLookupSecretTests
{
    private const string Name = "subject-lookup-hmac";
    private static readonly DateTimeOffset Deployed = new(2026, 9, 1, 8, 0, 0, TimeSpan.Zero);

    private readonly Mock<SecretClient> _client = new();
    private readonly ListLogger _logger = new();

    public KeyVaultSubjectLookupSecretTests()
    {
        _client.SetupGet(c => c.VaultUri).Returns(new Uri("https://contoso.vault.azure.net/"));
    }

    [Fact]
    public async Task GetAsync_SecretPresent_DecodedOnceAndCached()
    {
        var value = Value(7);
        Versions(("v1", Deployed, true, value));
        var secret = new KeyVaultSubjectLookupSecret(_client.Object, _logger);

        var first = await secret.GetAsync();
        var second = await secret.GetAsync();

        Assert.Equal(value, first);
        Assert.Same(first, second);
        _client.Verify(c => c.GetPropertiesOfSecretVersionsAsync(Name, It.IsAny<CancellationToken>()), Times.Once);
        _client.Verify(c => c.GetSecretAsync(Name, "v1", It.IsAny<CancellationToken>()), Times.Once);
        Assert.Empty(_logger.Entries);
    }

    [Fact]
    public async Task GetAsync_ReprovisionedTwice_OldestVersionUsedAndOneWarningWithoutTheValue()
    {
        var original = Value(1);
        Versions(
            ("9c0e", Deployed.AddDays(30), true, Value(3)),
            ("5d2a", Deployed, true, original),
            ("e71b", Deployed.AddDays(10), true, Value(2)));

        var value = await new KeyVaultSubjectLookupSecret(_client.Object, _logger).GetAsync();

        Assert.Equal(original, value);
        var (level, message) = Assert.Single(_logger.Entries);
        Assert.Equal(LogLevel.Warning, level);
        Assert.Contains("3 enabled versions", message, StringComparison.Ordinal);
        Assert.Contains("2026-09-01T08:00:00.0000000+00:00", message, StringComparison.Ordinal);
        Assert.Contains("version 5d2a", message, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToBase64String(original), message, StringComparison.Ordinal);
        _client.Verify(c => c.GetSecretAsync(Name, It.Is<string>(v => v != "5d2a"), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task GetAsync_OldestVersionDisabled_OldestEnabledVersionUsed()
    {
        var oldestEnabled = Value(2);
        Versions(
            ("a000", Deployed, false, Value(1)),
            ("b000", Deployed.AddDays(1), true, oldestEnabled),
            ("c000", Deployed.AddDays(2), true, Value(3)));

        var value = await new KeyVaultSubjectLookupSecret(_client.Object, _logger).GetAsync();

        Assert.Equal(oldestEnabled, value);
        Assert.Contains("2 enabled versions", Assert.Single(_logger.Entries).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetAsync_SameCreationTime_LowestVersionIdWins()
    {
        var first = Value(1);
        Versions(("f3a9", Deployed, true, Value(2)), ("0b17", Deployed, true, first));

        Assert.Equal(first, await new KeyVaultSubjectLookupSecret(_client.Object).GetAsync());
    }

    [Fact]
    public async Task GetAsync_EveryVersionDisabled_RefusedSayingSo()
    {
        Versions(("a000", Deployed, false, Value(1)), ("b000", Deployed.AddDays(1), false, Value(2)));

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => new KeyVaultSubjectLookupSecret(_client.Object).GetAsync());

        Assert.Contains("secret 'subject-lookup-hmac' has 2 versions and none is enabled", ex.Message, StringComparison.Ordinal);
        _client.Verify(c => c.GetSecretAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task GetAsync_SecretMissing_SaysHowToCreateIt()
    {
        _client.Setup(c => c.GetPropertiesOfSecretVersionsAsync(Name, It.IsAny<CancellationToken>()))
            .Throws(new RequestFailedException(404, "SecretNotFound"));

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => new KeyVaultSubjectLookupSecret(_client.Object).GetAsync());

        Assert.Contains("has no secret 'subject-lookup-hmac'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("az keyvault secret set", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetAsync_NoVersionsListed_SaysHowToCreateIt()
    {
        Versions();

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => new KeyVaultSubjectLookupSecret(_client.Object).GetAsync());

        Assert.Contains("has no secret 'subject-lookup-hmac'", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not base64!", "is not base64")]
    [InlineData("AAAA", "holds 3 bytes; it needs at least 32")]
    public async Task GetAsync_UnusableSecret_Refused(string stored, string expected)
    {
        Versions(("v1", Deployed, true, []));
        Returns("v1", stored);

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => new KeyVaultSubjectLookupSecret(_client.Object).GetAsync());

        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    private static byte[] Value(byte marker)
    {
        var value = new byte[32];
        value[0] = marker;
        return value;
    }

    /// <summary>The versions Key Vault lists, in the order given (the service promises none), each readable with its value.</summary>
    private void Versions(params (string Version, DateTimeOffset CreatedOn, bool Enabled, byte[] Value)[] versions)
    {
        var listed = versions.Select(v =>
        {
            var properties = SecretModelFactory.SecretProperties(name: Name, version: v.Version, createdOn: v.CreatedOn);
            properties.Enabled = v.Enabled;
            return properties;
        }).ToList();
        _client.Setup(c => c.GetPropertiesOfSecretVersionsAsync(Name, It.IsAny<CancellationToken>()))
            .Returns(AsyncPageable<SecretProperties>.FromPages([Page<SecretProperties>.FromValues(listed, null, new FakeResponse(200))]));
        foreach (var version in versions)
        {
            Returns(version.Version, Convert.ToBase64String(version.Value));
        }
    }

    private void Returns(string version, string value) =>
        _client.Setup(c => c.GetSecretAsync(Name, version, It.IsAny<CancellationToken>()))
            .ReturnsAsync(Response.FromValue(SecretModelFactory.KeyVaultSecret(SecretModelFactory.SecretProperties(name: Name, version: version), value), new FakeResponse(200)));

    private sealed class ListLogger : ILogger<KeyVaultSubjectLookupSecret>
    {
        public List<(LogLevel Level, string Message)> Entries { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Entries.Add((logLevel, formatter(state, exception)));
    }
}
