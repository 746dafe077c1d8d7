using System.Buffers.Binary;
using System.Text;
using Agent.Dicom;

namespace Agent.Dicom.Network.Dimse;

/// <summary>
/// A DIMSE command set (group 0000). Always encoded implicit VR little endian regardless of the presentation
/// context (PS3.7 6.3.1); element tags and value representations come from the generated dictionary (PS3.7 E.1-1
/// is part of it), so this codec keeps only the typed values of the elements a command carries.
/// </summary>
public sealed class DimseCommand
{
    /// <summary>Command Data Set Type value meaning "no data set follows".</summary>
    public const ushort NoDataSet = 0x0101;

    /// <summary>Commands are small; anything bigger is hostile.</summary>
    public const int MaxEncodedLength = 64 * 1024;

    private readonly SortedDictionary<DicomTag, object> _values = [];

    public CommandField CommandField { get => (CommandField)GetU16(DicomTags.CommandField); set => SetU16(DicomTags.CommandField, (ushort)value); }
    public ushort MessageId { get => GetU16(DicomTags.MessageID); set => SetU16(DicomTags.MessageID, value); }
    public ushort MessageIdBeingRespondedTo { get => GetU16(DicomTags.MessageIDBeingRespondedTo); set => SetU16(DicomTags.MessageIDBeingRespondedTo, value); }
    public string? AffectedSopClassUid { get => GetText(DicomTags.AffectedSOPClassUID); set => SetText(DicomTags.AffectedSOPClassUID, value); }
    public string? RequestedSopClassUid { get => GetText(DicomTags.RequestedSOPClassUID); set => SetText(DicomTags.RequestedSOPClassUID, value); }
    public string? AffectedSopInstanceUid { get => GetText(DicomTags.AffectedSOPInstanceUID); set => SetText(DicomTags.AffectedSOPInstanceUID, value); }
    public string? MoveDestination { get => GetText(DicomTags.MoveDestination); set => SetText(DicomTags.MoveDestination, value); }
    public string? MoveOriginatorAeTitle { get => GetText(DicomTags.MoveOriginatorApplicationEntityTitle); set => SetText(DicomTags.MoveOriginatorApplicationEntityTitle, value); }
    public ushort? MoveOriginatorMessageId { get => GetOptionalU16(DicomTags.MoveOriginatorMessageID); set => SetOptionalU16(DicomTags.MoveOriginatorMessageID, value); }
    public DimsePriority Priority { get => (DimsePriority)GetU16(DicomTags.Priority); set => SetU16(DicomTags.Priority, (ushort)value); }
    public string? ErrorComment { get => GetText(DicomTags.ErrorComment); set => SetText(DicomTags.ErrorComment, value); }
    public ushort? ErrorId { get => GetOptionalU16(DicomTags.ErrorID); set => SetOptionalU16(DicomTags.ErrorID, value); }

    /// <summary>(0000,0901): the tags of the elements a failure is about.</summary>
    public IReadOnlyList<DicomTag> OffendingElements { get => GetTags(DicomTags.OffendingElement); set => SetTags(DicomTags.OffendingElement, value); }

    // ---- DIMSE-N (PS3.7 10.1): the instance an N-SET/N-GET/N-ACTION/N-DELETE is about, the event or action, the attributes an N-GET asks for.
    public string? RequestedSopInstanceUid { get => GetText(DicomTags.RequestedSOPInstanceUID); set => SetText(DicomTags.RequestedSOPInstanceUID, value); }
    public ushort? EventTypeId { get => GetOptionalU16(DicomTags.EventTypeID); set => SetOptionalU16(DicomTags.EventTypeID, value); }
    public ushort? ActionTypeId { get => GetOptionalU16(DicomTags.ActionTypeID); set => SetOptionalU16(DicomTags.ActionTypeID, value); }

    /// <summary>(0000,1005): the attributes an N-GET asks for (empty means all), or that an N-CREATE/N-SET warning is about.</summary>
    public IReadOnlyList<DicomTag> AttributeIdentifierList { get => GetTags(DicomTags.AttributeIdentifierList); set => SetTags(DicomTags.AttributeIdentifierList, value); }

    public bool HasDataSet
    {
        get => GetU16(DicomTags.CommandDataSetType) != NoDataSet;
        set => SetU16(DicomTags.CommandDataSetType, value ? (ushort)0x0000 : NoDataSet);
    }

    public DimseStatus Status { get => new(GetU16(DicomTags.Status)); set => SetU16(DicomTags.Status, value.Code); }
    public bool HasStatus => _values.ContainsKey(DicomTags.Status);

    public ushort? Remaining { get => GetOptionalU16(DicomTags.NumberOfRemainingSuboperations); set => SetOptionalU16(DicomTags.NumberOfRemainingSuboperations, value); }
    public ushort? Completed { get => GetOptionalU16(DicomTags.NumberOfCompletedSuboperations); set => SetOptionalU16(DicomTags.NumberOfCompletedSuboperations, value); }
    public ushort? Failed { get => GetOptionalU16(DicomTags.NumberOfFailedSuboperations); set => SetOptionalU16(DicomTags.NumberOfFailedSuboperations, value); }
    public ushort? Warning { get => GetOptionalU16(DicomTags.NumberOfWarningSuboperations); set => SetOptionalU16(DicomTags.NumberOfWarningSuboperations, value); }

    public bool IsRequest => ((ushort)CommandField & 0x8000) == 0;

    public bool Contains(DicomTag tag) => _values.ContainsKey(tag);

    private ushort GetU16(DicomTag tag) => _values.TryGetValue(tag, out var v) && v is ushort u ? u : (ushort)0;
    private ushort? GetOptionalU16(DicomTag tag) => _values.TryGetValue(tag, out var v) && v is ushort u ? u : null;
    private void SetU16(DicomTag tag, ushort value) => _values[tag] = value;

    private void SetOptionalU16(DicomTag tag, ushort? value)
    {
        if (value is { } v) _values[tag] = v; else _values.Remove(tag);
    }

    // AT values (PS3.5 6.2): group then element, each 16-bit little endian; kept as the bytes they are encoded in.
    private IReadOnlyList<DicomTag> GetTags(DicomTag tag)
    {
        if (!_values.TryGetValue(tag, out var v) || v is not byte[] b) return [];
        var list = new List<DicomTag>(b.Length / 4);
        for (int i = 0; i + 4 <= b.Length; i += 4)
            list.Add(new DicomTag(BinaryPrimitives.ReadUInt16LittleEndian(b.AsSpan(i)), BinaryPrimitives.ReadUInt16LittleEndian(b.AsSpan(i + 2))));
        return list;
    }

    private void SetTags(DicomTag tag, IReadOnlyList<DicomTag> value)
    {
        if (value.Count == 0) { _values.Remove(tag); return; }
        var b = new byte[value.Count * 4];
        for (int i = 0; i < value.Count; i++)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(i * 4), value[i].Group);
            BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(i * 4 + 2), value[i].Element);
        }
        _values[tag] = b;
    }

    private string? GetText(DicomTag tag) => _values.TryGetValue(tag, out var v) ? v as string : null;

    private void SetText(DicomTag tag, string? value)
    {
        if (value is null) _values.Remove(tag); else _values[tag] = value;
    }

    // ------------------------------------------------------------------ codec

    /// <summary>Encodes the command with its group length first.</summary>
    public byte[] Encode()
    {
        _values.Remove(DicomTags.CommandGroupLength);
        int bodyLength = 0;
        foreach (var (tag, value) in _values) bodyLength += 8 + ValueLength(tag, value);
        var bytes = new byte[12 + bodyLength];
        var span = bytes.AsSpan();
        WriteHeader(span, DicomTags.CommandGroupLength, 4);
        BinaryPrimitives.WriteUInt32LittleEndian(span[8..], (uint)bodyLength);
        int pos = 12;
        foreach (var (tag, value) in _values)
        {
            var len = ValueLength(tag, value);
            WriteHeader(span[pos..], tag, len);
            pos += 8;
            var dest = span.Slice(pos, len);
            switch (value)
            {
                case ushort u: BinaryPrimitives.WriteUInt16LittleEndian(dest, u); break;
                case uint u: BinaryPrimitives.WriteUInt32LittleEndian(dest, u); break;
                case string s:
                    dest.Fill(ValueKind(tag) == "UI" ? (byte)0 : (byte)' ');
                    Encoding.ASCII.GetBytes(s, dest);
                    break;
                case byte[] b: b.CopyTo(dest); break;
            }
            pos += len;
        }
        return bytes;
    }

    private static int ValueLength(DicomTag tag, object value) => value switch
    {
        ushort => 2,
        uint => 4,
        string s => (Encoding.ASCII.GetByteCount(s) + 1) & ~1,
        byte[] b => b.Length,
        _ => throw new InvalidOperationException($"bad command value for {tag:X8}"),
    };

    private static void WriteHeader(Span<byte> span, DicomTag tag, int length)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(span, tag.Group);
        BinaryPrimitives.WriteUInt16LittleEndian(span[2..], tag.Element);
        BinaryPrimitives.WriteUInt32LittleEndian(span[4..], (uint)length);
    }

    /// <summary>Decodes a command set; throws <see cref="DicomFormatException"/> when malformed.</summary>
    public static DimseCommand Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > MaxEncodedLength) throw new DicomFormatException($"command set of {bytes.Length} bytes is larger than {MaxEncodedLength}");
        var cmd = new DimseCommand();
        int pos = 0;
        while (pos < bytes.Length)
        {
            if (bytes.Length - pos < 8) throw new DicomFormatException("truncated command element header", pos);
            var group = BinaryPrimitives.ReadUInt16LittleEndian(bytes[pos..]);
            var element = BinaryPrimitives.ReadUInt16LittleEndian(bytes[(pos + 2)..]);
            var len = BinaryPrimitives.ReadUInt32LittleEndian(bytes[(pos + 4)..]);
            if (group != 0) throw new DicomFormatException($"element ({group:X4},{element:X4}) outside group 0000 in a command set", pos);
            if (len > (uint)(bytes.Length - pos - 8)) throw new DicomFormatException($"command element length {len} runs past the command set", pos);
            var tag = new DicomTag(0, element);
            var value = bytes.Slice(pos + 8, (int)len);
            switch (ValueKind(tag))
            {
                case "US":
                    if (len != 2) throw new DicomFormatException($"command element (0000,{element:X4}) must be 2 bytes, is {len}", pos);
                    cmd._values[tag] = BinaryPrimitives.ReadUInt16LittleEndian(value);
                    break;
                case "UL":
                    if (len != 4) throw new DicomFormatException($"command element (0000,{element:X4}) must be 4 bytes, is {len}", pos);
                    cmd._values[tag] = BinaryPrimitives.ReadUInt32LittleEndian(value);
                    break;
                case "UI" or "AE" or "LO":
                    cmd._values[tag] = Encoding.Latin1.GetString(value).Trim(' ', '\0');
                    break;
                default:
                    cmd._values[tag] = value.ToArray();
                    break;
            }
            pos += 8 + (int)len;
        }
        if (!cmd._values.ContainsKey(DicomTags.CommandField)) throw new DicomFormatException("command set without a Command Field (0000,0100)");
        return cmd;
    }

    // PS3.7 E.1-1 (in the generated dictionary) decides how a value is held; retired and unknown elements keep
    // their bytes, so a peer's odd use of them cannot fail the decode.
    private static string ValueKind(DicomTag tag)
        => DicomDictionary.TryLookup(tag, out var entry) && !entry.IsRetired ? entry.VR.Code : "";

    public override string ToString()
        => $"{CommandField} id={(IsRequest ? MessageId : MessageIdBeingRespondedTo)}{(HasStatus ? " status=" + Status : "")}";
}
