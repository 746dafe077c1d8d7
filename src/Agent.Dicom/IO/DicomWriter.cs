using System.Buffers.Binary;
using System.IO.Compression;

namespace Agent.Dicom.IO;

/// <summary>
/// Encodes datasets (PS3.5 7) in implicit VR LE, explicit VR LE/BE and deflated explicit VR LE. Group lengths are not
/// written (they are optional and go stale); sequences use undefined lengths unless asked otherwise.
/// </summary>
public static class DicomWriter
{
    private const uint UndefinedLength = 0xFFFFFFFF;
    private const int ReferenceThreshold = 16 * 1024;

    /// <summary>The encoded dataset in memory.</summary>
    public static byte[] Encode(DicomDataset dataset, DicomTransferSyntax syntax, DicomWriterOptions? options = null)
    {
        using var ms = new MemoryStream();
        Write(ms, dataset, syntax, options);
        return ms.ToArray();
    }

    public static void Write(Stream stream, DicomDataset dataset, DicomTransferSyntax syntax, DicomWriterOptions? options = null)
    {
        var chunks = EncodeChunks(dataset, syntax, options);
        if (!syntax.IsDeflated)
        {
            chunks.CopyTo(stream);
            return;
        }
        using var deflate = new DeflateStream(stream, CompressionLevel.Optimal, leaveOpen: true);
        chunks.CopyTo(deflate);
    }

    public static async Task WriteAsync(Stream stream, DicomDataset dataset, DicomTransferSyntax syntax, DicomWriterOptions? options,
        CancellationToken cancellationToken)
    {
        var chunks = EncodeChunks(dataset, syntax, options);
        if (!syntax.IsDeflated)
        {
            await chunks.CopyToAsync(stream, cancellationToken).ConfigureAwait(false);
            return;
        }
        var deflate = new DeflateStream(stream, CompressionLevel.Optimal, leaveOpen: true);
        await using (deflate.ConfigureAwait(false))
        {
            await chunks.CopyToAsync(deflate, cancellationToken).ConfigureAwait(false);
        }
    }

    internal static EncodedChunks EncodeChunks(DicomDataset dataset, DicomTransferSyntax syntax, DicomWriterOptions? options)
    {
        var encoder = new Encoder(DicomEncoding.Of(syntax), options ?? DicomWriterOptions.Default);
        encoder.WriteDataset(dataset);
        return encoder.Output;
    }

    /// <summary>Encoded length of a dataset's elements in the given syntax with defined-length sequences.</summary>
    public static long MeasureDefinedLength(DicomDataset dataset, DicomTransferSyntax syntax)
        => new Encoder(DicomEncoding.Of(syntax), new DicomWriterOptions { DefinedLengthSequences = true }).MeasureDataset(dataset);

    private sealed class Encoder(DicomEncoding encoding, DicomWriterOptions options)
    {
        public EncodedChunks Output { get; } = new();

        private bool Defined => options.DefinedLengthSequences;

        public void WriteDataset(DicomDataset dataset)
        {
            foreach (var item in dataset)
            {
                if (item.Tag.IsGroupLength) continue;
                switch (item)
                {
                    case DicomElement e: WriteElement(e); break;
                    case DicomSequence s: WriteSequence(s); break;
                    case DicomFragmentSequence f: WriteFragments(f); break;
                }
            }
        }

        private static DicomVR EffectiveVR(DicomElement e, DicomEncoding encoding)
        {
            var vr = e.VR;
            // Bytes under SQ can only be an already-encoded blob: UN is the honest VR for it.
            if (vr == DicomVR.SQ) return DicomVR.UN;
            // A value too long for a 16-bit length field can still be carried as UN (what DCMTK does).
            if (encoding.IsExplicitVR && !vr.HasLongExplicitLength && PaddedLength(e.Length) > 0xFFFF) return DicomVR.UN;
            // UN for a public tag the dictionary knows (e.g. built in code, or read from implicit data) is written with
            // the real VR, so readers need not guess; UN bytes are little endian, so only little endian output.
            if (vr == DicomVR.UN && encoding.IsExplicitVR && !encoding.IsBigEndian && !e.Tag.IsPrivate
                && DicomDictionary.TryLookup(e.Tag, out var entry) && entry.VRs.Length == 1)
            {
                var known = entry.VR;
                if (known != DicomVR.UN && known != DicomVR.SQ && e.Length % DicomEncoding.SwapUnit(known) == 0
                    && (known.HasLongExplicitLength || PaddedLength(e.Length) <= 0xFFFF))
                    return known;
            }
            return vr;
        }

        private static long PaddedLength(long length) => length + (length & 1);

        private void WriteElement(DicomElement e)
        {
            var vr = EffectiveVR(e, encoding);
            long length = e.Length;
            long padded = PaddedLength(length);
            if (padded >= UndefinedLength) throw new DicomFormatException($"{e.Tag} is too long to encode ({length} bytes)");
            WriteHeader(e.Tag, vr, (uint)padded);
            int swap = encoding.IsBigEndian ? DicomEncoding.SwapUnit(vr) : 1;
            if (swap > 1)
            {
                var copy = e.Buffer.Span.ToArray();
                ByteSwap.InPlace(copy, swap);
                Output.Write(copy);
            }
            else if (length >= ReferenceThreshold) Output.Append(e.Buffer);
            else Output.Write(e.Buffer.Span);
            if (padded != length) Output.WriteByte(vr.PaddingByte);
        }

        private void WriteSequence(DicomSequence s)
        {
            WriteHeader(s.Tag, DicomVR.SQ, Defined ? Checked(MeasureSequenceContent(s), s.Tag) : UndefinedLength);
            foreach (var item in s.Items)
            {
                WriteTag(DicomTag.Item);
                WriteUInt32(Defined ? Checked(MeasureDataset(item), s.Tag) : UndefinedLength);
                WriteDataset(item);
                if (!Defined)
                {
                    WriteTag(DicomTag.ItemDelimitation);
                    WriteUInt32(0);
                }
            }
            if (!Defined)
            {
                WriteTag(DicomTag.SequenceDelimitation);
                WriteUInt32(0);
            }
        }

        private void WriteFragments(DicomFragmentSequence f)
        {
            if (!encoding.IsExplicitVR || encoding.IsBigEndian)
                throw new DicomFormatException($"encapsulated {f.Tag} can only be written in an explicit VR little endian encapsulated transfer syntax");
            WriteHeader(f.Tag, DicomVR.OB, UndefinedLength);
            WriteTag(DicomTag.Item);
            WriteUInt32((uint)(f.OffsetTable.Count * 4));
            foreach (var offset in f.OffsetTable) WriteUInt32(offset);
            foreach (var fragment in f.Fragments)
            {
                long padded = PaddedLength(fragment.Length);
                if (padded >= UndefinedLength) throw new DicomFormatException($"a fragment of {f.Tag} is too long to encode");
                WriteTag(DicomTag.Item);
                WriteUInt32((uint)padded);
                if (fragment.Length >= ReferenceThreshold) Output.Append(fragment);
                else Output.Write(fragment.Span);
                if (padded != fragment.Length) Output.WriteByte(0);
            }
            WriteTag(DicomTag.SequenceDelimitation);
            WriteUInt32(0);
        }

        private static uint Checked(long length, DicomTag tag)
            => length < UndefinedLength ? (uint)length : throw new DicomFormatException($"{tag} is too long for a defined length");

        private void WriteHeader(DicomTag tag, DicomVR vr, uint length)
        {
            WriteTag(tag);
            if (!encoding.IsExplicitVR)
            {
                WriteUInt32(length);
                return;
            }
            var span = Output.GetSpan(vr.HasLongExplicitLength ? 8 : 4);
            span[0] = (byte)(vr.Code16 >> 8);
            span[1] = (byte)vr.Code16;
            if (vr.HasLongExplicitLength)
            {
                span[2] = 0;
                span[3] = 0;
                if (encoding.IsBigEndian) BinaryPrimitives.WriteUInt32BigEndian(span[4..], length);
                else BinaryPrimitives.WriteUInt32LittleEndian(span[4..], length);
                Output.Advance(8);
            }
            else
            {
                if (encoding.IsBigEndian) BinaryPrimitives.WriteUInt16BigEndian(span[2..], (ushort)length);
                else BinaryPrimitives.WriteUInt16LittleEndian(span[2..], (ushort)length);
                Output.Advance(4);
            }
        }

        private void WriteTag(DicomTag tag)
        {
            var span = Output.GetSpan(4);
            if (encoding.IsBigEndian)
            {
                BinaryPrimitives.WriteUInt16BigEndian(span, tag.Group);
                BinaryPrimitives.WriteUInt16BigEndian(span[2..], tag.Element);
            }
            else
            {
                BinaryPrimitives.WriteUInt16LittleEndian(span, tag.Group);
                BinaryPrimitives.WriteUInt16LittleEndian(span[2..], tag.Element);
            }
            Output.Advance(4);
        }

        private void WriteUInt32(uint value)
        {
            var span = Output.GetSpan(4);
            if (encoding.IsBigEndian) BinaryPrimitives.WriteUInt32BigEndian(span, value);
            else BinaryPrimitives.WriteUInt32LittleEndian(span, value);
            Output.Advance(4);
        }

        // ---- lengths, for defined-length sequences ----

        public long MeasureDataset(DicomDataset dataset)
        {
            long total = 0;
            foreach (var item in dataset)
            {
                if (item.Tag.IsGroupLength) continue;
                total += MeasureItem(item);
            }
            return total;
        }

        private long MeasureItem(DicomItem item)
        {
            switch (item)
            {
                case DicomElement e:
                    var vr = EffectiveVR(e, encoding);
                    return HeaderLength(vr) + PaddedLength(e.Length);
                case DicomSequence s:
                    return HeaderLength(DicomVR.SQ) + MeasureSequenceContent(s) + (Defined ? 0 : 8);
                case DicomFragmentSequence f:
                    long total = HeaderLength(DicomVR.OB) + 8 + f.OffsetTable.Count * 4L + 8;
                    foreach (var fragment in f.Fragments) total += 8 + PaddedLength(fragment.Length);
                    return total;
                default:
                    return 0;
            }
        }

        private long MeasureSequenceContent(DicomSequence s)
        {
            long total = 0;
            foreach (var item in s.Items) total += 8 + MeasureDataset(item) + (Defined ? 0 : 8);
            return total;
        }

        private int HeaderLength(DicomVR vr) => !encoding.IsExplicitVR ? 8 : vr.HasLongExplicitLength ? 12 : 8;
    }
}
