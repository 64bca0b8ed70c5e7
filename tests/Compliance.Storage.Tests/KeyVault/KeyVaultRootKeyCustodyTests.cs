using System.Net;
using System.Text.Json;
using Azure.Core;
using Azure.Core.Pipeline;
using Compliance.Core.Keys;
using Compliance.Storage.KeyVault;
using Compliance.TestSupport;

namespace Compliance.Storage.Tests.KeyVault;

/// <summary>The root-key contract, and the REST client's own behaviour, against the emulated vault over HTTP.</summary>
public sealed class KeyVaultRootKeyCustodyTests : RootKeyCustodyContract, IDisposable
{
    private static readonly Uri Vault = new("https://test-vault.vault.azure.net/");

    private readonly KeyVaultEmulator _emulator = new();
    private readonly HttpClient _http;
    private readonly RecordingCredential _credential = new();
    private readonly KeyVaultRootKeyCustody _custody;

    public KeyVaultRootKeyCustodyTests()
    {
        _http = new HttpClient(_emulator);
        _custody = NewClient();
    }

    protected override IRootKeyCustody Custody => _custody;

    public void Dispose()
    {
        _http.Dispose();
        _emulator.Dispose();
    }

    [Fact]
    public async Task FirstRequest_SentWithoutTokenOrBody_ThenWithTheChallengedScopeAndTenant()
    {
        await _custody.CreateKeyAsync(NewName());

        Assert.Null(_emulator.Requests[0].Headers.Authorization);
        Assert.Null(_emulator.Bodies[0]);
        Assert.Equal("Bearer", _emulator.Requests[1].Headers.Authorization?.Scheme);
        Assert.Contains("\"kty\":\"RSA\"", _emulator.Bodies[1], StringComparison.Ordinal);
        var context = Assert.Single(_credential.Contexts);
        Assert.Equal(["https://vault.azure.net/.default"], context.Scopes);
        Assert.Equal(KeyVaultEmulator.Tenant, context.TenantId);
    }

    [Fact]
    public async Task Challenge_ForAnotherResource_NoTokenIsSent()
    {
        _emulator.ChallengeResource = "https://attacker.example.com";

        await Assert.ThrowsAsync<KeyCustodyForbiddenException>(() => _custody.CreateKeyAsync(NewName()));

        Assert.Empty(_credential.Contexts);
        Assert.All(_emulator.Requests, r => Assert.Null(r.Headers.Authorization));
    }

    [Theory]
    [InlineData("Bearer authorization=\"https://login.microsoftonline.com/tenant-1\", resource=\"https://vault.azure.net\"", "https://vault.azure.net/.default", "tenant-1")]
    [InlineData("Bearer authorization_uri=\"https://login.microsoftonline.com/tenant-2/\", scope=\"https://vault.azure.net/.default\"", "https://vault.azure.net/.default", "tenant-2")]
    public void TryParseChallenge_HeaderForms_ScopeAndTenant(string header, string scope, string tenant)
    {
        Assert.True(KeyVaultChallengePolicy.TryParseChallenge(header, Vault, out var challenge));
        Assert.Equal((scope, tenant), (challenge.Scope, challenge.TenantId));
    }

    [Fact]
    public async Task WrapKeyAsync_Request_MatchesTheSpecExample()
    {
        var name = NewName();
        await _custody.CreateKeyAsync(name);
        using var example = JsonDocument.Parse(await File.ReadAllTextAsync(SpecExample("wrapKey-example.json")));

        await _custody.WrapKeyAsync(name, new byte[32]);

        var request = _emulator.Requests[^1];
        using var body = JsonDocument.Parse(_emulator.Bodies[^1]!);
        var parameters = example.RootElement.GetProperty("parameters");
        Assert.Equal(HttpMethod.Post, request.Method);
        Assert.Matches($"^/keys/{name}/[0-9a-f]{{32}}/wrapkey$", request.RequestUri!.AbsolutePath);
        Assert.Equal("?api-version=" + parameters.GetProperty("api-version").GetString(), request.RequestUri.Query);
        Assert.Equal(parameters.GetProperty("parameters").GetProperty("alg").GetString(), body.RootElement.GetProperty("alg").GetString());
        Assert.DoesNotContain('=', body.RootElement.GetProperty("value").GetString()!);
    }

    [Fact]
    public async Task UnwrapKeyAsync_SpecExampleResponses_AreRead()
    {
        using var wrapExample = JsonDocument.Parse(await File.ReadAllTextAsync(SpecExample("wrapKey-example.json")));
        using var unwrapExample = JsonDocument.Parse(await File.ReadAllTextAsync(SpecExample("unwrapKey-example.json")));
        var wrapBody = wrapExample.RootElement.GetProperty("responses").GetProperty("200").GetProperty("body").GetRawText();
        var unwrapBody = unwrapExample.RootElement.GetProperty("responses").GetProperty("200").GetProperty("body").GetRawText();
        _emulator.Override = r => r.Headers.Authorization is null
            ? null
            : new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(r.RequestUri!.AbsolutePath.EndsWith("/wrapkey", StringComparison.Ordinal) ? wrapBody : unwrapBody) };

        var unwrapped = await _custody.UnwrapKeyAsync(new WrappedKey("sdktestkey", "0698c2156c1a4e1da5b6bab6f6422fd6", new byte[256]));

        Assert.Equal(32, unwrapped.Length);
        Assert.Equal("ovQIlbB0DgWhZA7sgkPxbg9H-Ly-VlNGPSgGrrZvlIo", Convert.ToBase64String(unwrapped).TrimEnd('=').Replace('+', '-').Replace('/', '_'));
        Assert.Equal(("sdktestkey", "0698c2156c1a4e1da5b6bab6f6422fd6"), KeyVaultRootKeyCustody.ParseKid(JsonDocument.Parse(wrapBody).RootElement.GetProperty("kid").GetString()!));
        Assert.Equal(256, Base64Url.Decode(JsonDocument.Parse(wrapBody).RootElement.GetProperty("value").GetString()!).Length);
    }

    [Fact]
    public async Task Throttled_RetriedWithBackoffThenTyped()
    {
        var name = NewName();
        await _custody.CreateKeyAsync(name);
        var attempts = 0;
        _emulator.Override = _ =>
        {
            attempts++;
            var response = KeyVaultEmulator.Error(HttpStatusCode.TooManyRequests, "Throttled", "Request was not processed because too many requests were received.");
            response.Headers.TryAddWithoutValidation("Retry-After", "0");
            return response;
        };

        await Assert.ThrowsAsync<KeyCustodyThrottledException>(() => _custody.GetKeyAsync(name));

        Assert.Equal(3, attempts);
    }

    [Fact]
    public async Task ServerError_Transient_RetriedUntilItAnswers()
    {
        var name = NewName();
        await _custody.CreateKeyAsync(name);
        var failures = 1;
        _emulator.Override = _ => failures-- > 0 ? KeyVaultEmulator.Error(HttpStatusCode.ServiceUnavailable, "ServiceUnavailable", "try later") : null;

        var key = await _custody.GetKeyAsync(name);

        Assert.Equal(name, key.Name);
    }

    [Theory]
    [InlineData(404, "{\"error\":{\"code\":\"KeyNotFound\",\"message\":\"gone\"}}", typeof(RootKeyNotFoundException))]
    [InlineData(403, "{\"error\":{\"code\":\"Forbidden\",\"innererror\":{\"code\":\"ForbiddenByRbac\"}}}", typeof(KeyCustodyForbiddenException))]
    [InlineData(429, "{\"error\":{\"code\":\"Throttled\"}}", typeof(KeyCustodyThrottledException))]
    [InlineData(409, "{\"error\":{\"code\":\"Conflict\",\"innererror\":{\"code\":\"ObjectIsDeletedButRecoverable\"}}}", typeof(KeyDeletedButRecoverableException))]
    [InlineData(400, "<html>bad gateway page</html>", typeof(KeyCustodyException))]
    public void Failure_ServiceErrors_MapToTypedExceptions(int status, string body, Type expected)
    {
        var failure = KeyVaultRootKeyCustody.Failure(status, body, RequestMethod.Get, "keys/k1");

        Assert.IsType(expected, failure);
        Assert.Contains($"({status} ", failure.Message, StringComparison.Ordinal);
    }

    private KeyVaultRootKeyCustody NewClient()
    {
        var options = new KeyVaultClientOptions { Transport = new HttpClientTransport(_http), RootKeySize = 2048 };
        options.Retry.Delay = TimeSpan.FromMilliseconds(1);
        options.Retry.MaxDelay = TimeSpan.FromMilliseconds(5);
        options.Retry.MaxRetries = 2;
        return new KeyVaultRootKeyCustody(Vault, _credential, options);
    }

    private static string SpecExample(string file) => Path.Combine(AppContext.BaseDirectory, "KeyVault", "SpecExamples", file);

    private sealed class RecordingCredential : TokenCredential
    {
        public List<TokenRequestContext> Contexts { get; } = [];

        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
        {
            Contexts.Add(requestContext);
            return new AccessToken(KeyVaultEmulator.Token, DateTimeOffset.MaxValue);
        }

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            ValueTask.FromResult(GetToken(requestContext, cancellationToken));
    }
}
