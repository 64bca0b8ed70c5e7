using System.Buffers;
using System.Buffers.Text;

namespace Compliance.Functions.Queues;

/// <summary>
/// The JSON bytes of a queue message body, whoever wrote it. <c>host.json</c> sets <c>messageEncoding: none</c>, so
/// the triggers receive bodies as stored: Event Grid may write plain JSON text, while SDK producers (ours included)
/// write base64 of the JSON. Plain JSON is recognised by its first non-whitespace byte (<c>{</c> or <c>[</c>, after an
/// optional UTF-8 BOM); anything else is decoded as strict base64 if that yields JSON. Otherwise the raw bytes are
/// returned unchanged, so the JSON parser reports what is wrong with them.
/// </summary>
internal static class QueueMessageBody
{
    private static ReadOnlySpan<byte> Utf8Bom => [0xEF, 0xBB, 0xBF];

    public static ReadOnlyMemory<byte> Json(BinaryData body)
    {
        ArgumentNullException.ThrowIfNull(body);
        var raw = body.ToMemory();
        if (TryJson(raw, out var json))
        {
            return json;
        }

        var text = Trim(raw.Span);
        if (text.IsEmpty)
        {
            return raw;
        }

        var decoded = new byte[Base64.GetMaxDecodedFromUtf8Length(text.Length)];
        var status = Base64.DecodeFromUtf8(text, decoded, out var consumed, out var written);
        return status == OperationStatus.Done && consumed == text.Length && TryJson(decoded.AsMemory(0, written), out json)
            ? json
            : raw;
    }

    /// <summary>True when <paramref name="bytes"/> starts (after a BOM and whitespace) like a JSON object or array; <paramref name="json"/> is them without the BOM.</summary>
    private static bool TryJson(ReadOnlyMemory<byte> bytes, out ReadOnlyMemory<byte> json)
    {
        json = bytes.Span.StartsWith(Utf8Bom) ? bytes[Utf8Bom.Length..] : bytes;
        var start = Trim(json.Span);
        return !start.IsEmpty && start[0] is (byte)'{' or (byte)'[';
    }

    private static ReadOnlySpan<byte> Trim(ReadOnlySpan<byte> bytes) => bytes.Trim(" \t\r\n"u8);
}
