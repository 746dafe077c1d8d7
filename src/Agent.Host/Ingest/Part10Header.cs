using System.Buffers.Binary;
using System.Text;

namespace Agent.Host.Ingest;

/// <summary>
/// Writes the PS3.10 preamble, "DICM" and File Meta Information (explicit VR little endian) in front of a dataset
/// that arrives already encoded in its transfer syntax, so the received bytes are stored untouched.
/// </summary>
internal static class Part10Header
{
    /// <summary>Root 2.25 (UUID-derived) UID identifying this implementation; fixed so files are traceable to us.</summary>
    public const string ImplementationClassUid = "2.25.12655366782013627498070935306965004946";
    public const string ImplementationVersionName = "AGENT_010";

    public static byte[] Build(string sopClassUid, string sopInstanceUid, string transferSyntaxUid, string? sourceAeTitle)
    {
        var body = new MemoryStream(256);
        WriteElement(body, 0x0001, "OB", [0x00, 0x01]);
        WriteElement(body, 0x0002, "UI", Text(sopClassUid, 0));
        WriteElement(body, 0x0003, "UI", Text(sopInstanceUid, 0));
        WriteElement(body, 0x0010, "UI", Text(transferSyntaxUid, 0));
        WriteElement(body, 0x0012, "UI", Text(ImplementationClassUid, 0));
        WriteElement(body, 0x0013, "SH", Text(ImplementationVersionName, (byte)' '));
        if (!string.IsNullOrWhiteSpace(sourceAeTitle)) WriteElement(body, 0x0016, "AE", Text(sourceAeTitle.Trim(), (byte)' '));

        var header = new MemoryStream(132 + 12 + (int)body.Length);
        header.Write(new byte[128]);
        header.Write("DICM"u8);
        Span<byte> groupLength = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(groupLength, (uint)body.Length);
        WriteElement(header, 0x0000, "UL", groupLength);
        body.Position = 0;
        body.CopyTo(header);
        return header.ToArray();
    }

    private static byte[] Text(string value, byte pad)
    {
        var bytes = Encoding.ASCII.GetBytes(value);
        if (bytes.Length % 2 == 0) return bytes;
        var padded = new byte[bytes.Length + 1];
        bytes.CopyTo(padded, 0);
        padded[^1] = pad;
        return padded;
    }

    private static void WriteElement(Stream stream, ushort element, string vr, ReadOnlySpan<byte> value)
    {
        Span<byte> head = stackalloc byte[12];
        BinaryPrimitives.WriteUInt16LittleEndian(head, 0x0002);
        BinaryPrimitives.WriteUInt16LittleEndian(head[2..], element);
        head[4] = (byte)vr[0];
        head[5] = (byte)vr[1];
        if (vr is "OB")
        {
            // OB has a 2-byte reserved field and a 32-bit length (PS3.5 7.1.2).
            head[6] = head[7] = 0;
            BinaryPrimitives.WriteUInt32LittleEndian(head[8..], (uint)value.Length);
            stream.Write(head);
        }
        else
        {
            BinaryPrimitives.WriteUInt16LittleEndian(head[6..], (ushort)value.Length);
            stream.Write(head[..8]);
        }
        stream.Write(value);
    }
}
