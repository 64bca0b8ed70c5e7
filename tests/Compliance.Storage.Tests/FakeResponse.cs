using System.Diagnostics.CodeAnalysis;
using Azure;
using Azure.Core;

namespace Compliance.Storage.Tests;

/// <summary>A minimal <see cref="Response"/> at the SDK seam, to build <see cref="RequestFailedException"/>s with a status and headers.</summary>
internal sealed class FakeResponse(int status, params (string Name, string Value)[] headers) : Response
{
    public override int Status { get; } = status;

    public override string ReasonPhrase => "";

    public override Stream? ContentStream { get; set; }

    public override string ClientRequestId { get; set; } = "test";

    public override void Dispose()
    {
    }

    public static RequestFailedException Failure(int status, params (string Name, string Value)[] headers) =>
        new(new FakeResponse(status, headers));

    protected override bool ContainsHeader(string name) => TryGetHeader(name, out _);

    protected override IEnumerable<HttpHeader> EnumerateHeaders() => headers.Select(h => new HttpHeader(h.Name, h.Value));

    protected override bool TryGetHeader(string name, [NotNullWhen(true)] out string? value)
    {
        value = headers.FirstOrDefault(h => string.Equals(h.Name, name, StringComparison.OrdinalIgnoreCase)).Value;
        return value is not null;
    }

    protected override bool TryGetHeaderValues(string name, [NotNullWhen(true)] out IEnumerable<string>? values)
    {
        values = TryGetHeader(name, out var value) ? [value] : null;
        return values is not null;
    }
}
