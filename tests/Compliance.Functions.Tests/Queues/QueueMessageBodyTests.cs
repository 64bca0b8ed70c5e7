using System.Text;
using Compliance.Functions.Queues;

namespace Compliance.Functions.Tests.Queues;

public sealed class QueueMessageBodyTests
{
    private const string Event = "{\"eventType\":\"Microsoft.KeyVault.KeyNearExpiry\"}";

    [Theory]
    [InlineData(Event)]
    [InlineData("[" + Event + "]")]
    public void Json_PlainJson_ReturnedAsIs(string body)
    {
        var json = QueueMessageBody.Json(BinaryData.FromString(body));

        Assert.Equal(body, Encoding.UTF8.GetString(json.Span));
    }

    [Theory]
    [InlineData(Event)]
    [InlineData("[" + Event + "]")]
    [InlineData(" \r\n" + Event)]
    public void Json_Base64OfJson_Decoded(string body)
    {
        var encoded = Convert.ToBase64String(Encoding.UTF8.GetBytes(body));

        var json = QueueMessageBody.Json(BinaryData.FromString(encoded));

        Assert.Equal(body, Encoding.UTF8.GetString(json.Span));
    }

    [Fact]
    public void Json_Base64WithSurroundingWhitespace_Decoded()
    {
        var encoded = "\n  " + Convert.ToBase64String(Encoding.UTF8.GetBytes(Event)) + " \r\n";

        var json = QueueMessageBody.Json(BinaryData.FromString(encoded));

        Assert.Equal(Event, Encoding.UTF8.GetString(json.Span));
    }

    [Fact]
    public void Json_PlainJsonAfterBomAndWhitespace_BomDropped()
    {
        var body = new byte[] { 0xEF, 0xBB, 0xBF }.Concat(Encoding.UTF8.GetBytes("\r\n\t " + Event)).ToArray();

        var json = QueueMessageBody.Json(new BinaryData(body));

        Assert.Equal("\r\n\t " + Event, Encoding.UTF8.GetString(json.Span));
    }

    [Fact]
    public void Json_Base64OfJsonWithBom_BomDropped()
    {
        var encoded = Convert.ToBase64String([0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(Event)]);

        var json = QueueMessageBody.Json(BinaryData.FromString(encoded));

        Assert.Equal(Event, Encoding.UTF8.GetString(json.Span));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("not json, not base64!")]
    [InlineData("\"a string\"")]
    [InlineData("aGVsbG8gd29ybGQ=")] // base64 of "hello world": decodes, but not to JSON
    [InlineData("eyJhIjoxfQ")] // base64 of {"a":1} without its padding: strict decoding refuses it
    [InlineData("eyJhIj*xfQ==")] // not base64 at all
    public void Json_NeitherJsonNorBase64OfJson_RawBytesForTheParserToReport(string body)
    {
        var json = QueueMessageBody.Json(BinaryData.FromString(body));

        Assert.Equal(body, Encoding.UTF8.GetString(json.Span));
    }

    [Fact]
    public void Json_Base64OfBrokenJson_DecodedForTheParserToReport()
    {
        var json = QueueMessageBody.Json(BinaryData.FromString(Convert.ToBase64String("{\"a\":"u8)));

        Assert.Equal("{\"a\":", Encoding.UTF8.GetString(json.Span));
    }
}
