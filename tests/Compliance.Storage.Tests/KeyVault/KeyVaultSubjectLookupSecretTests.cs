using Azure;
using Azure.Security.KeyVault.Secrets;
using Compliance.Storage.KeyVault;
using Moq;

namespace Compliance.Storage.Tests.KeyVault;

/// <summary>The lookup secret over Key Vault Secrets, with the SDK's <see cref="SecretClient"/> mocked at its seam.</summary>
public sealed class KeyVaultSubjectLookupSecretTests
{
    private readonly Mock<SecretClient> _client = new();

    public KeyVaultSubjectLookupSecretTests()
    {
        _client.SetupGet(c => c.VaultUri).Returns(new Uri("https://contoso.vault.azure.net/"));
    }

    [Fact]
    public async Task GetAsync_SecretPresent_DecodedOnceAndCached()
    {
        var value = new byte[32];
        value[0] = 7;
        Returns(Convert.ToBase64String(value));
        var secret = new KeyVaultSubjectLookupSecret(_client.Object);

        var first = await secret.GetAsync();
        var second = await secret.GetAsync();

        Assert.Equal(value, first);
        Assert.Same(first, second);
        _client.Verify(c => c.GetSecretAsync("subject-lookup-hmac", null, It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task GetAsync_SecretMissing_SaysHowToCreateIt()
    {
        _client.Setup(c => c.GetSecretAsync("subject-lookup-hmac", null, It.IsAny<CancellationToken>()))
            .ThrowsAsync(new RequestFailedException(404, "SecretNotFound"));

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => new KeyVaultSubjectLookupSecret(_client.Object).GetAsync());

        Assert.Contains("has no secret 'subject-lookup-hmac'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("az keyvault secret set", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not base64!", "is not base64")]
    [InlineData("AAAA", "holds 3 bytes; it needs at least 32")]
    public async Task GetAsync_UnusableSecret_Refused(string stored, string expected)
    {
        Returns(stored);

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => new KeyVaultSubjectLookupSecret(_client.Object).GetAsync());

        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    private void Returns(string value) =>
        _client.Setup(c => c.GetSecretAsync("subject-lookup-hmac", null, It.IsAny<CancellationToken>()))
            .ReturnsAsync(Response.FromValue(SecretModelFactory.KeyVaultSecret(new SecretProperties("subject-lookup-hmac"), value), new FakeResponse(200)));
}
