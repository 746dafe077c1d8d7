using Agent.Dicom.IO;

namespace Agent.Dicom;

public sealed partial class DicomFile
{
    /// <summary>Opens a file from disk; values above <see cref="DicomReaderOptions.LargeValueThreshold"/> stay on disk until used.</summary>
    public static DicomFile Open(string path, DicomReaderOptions? options = null, CancellationToken cancellationToken = default)
    {
        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0, FileOptions.SequentialScan);
        }
        catch (FileNotFoundException ex)
        {
            throw new DicomFormatException($"no such file: {path}", ex);
        }
        using (stream)
        {
            using var source = new DicomByteSource(stream);
            return Read(source, options ?? DicomReaderOptions.Default, path, cancellationToken);
        }
    }

    /// <summary>Reads a file held in memory; values are slices of <paramref name="data"/>, not copies.</summary>
    public static DicomFile Read(ReadOnlyMemory<byte> data, DicomReaderOptions? options = null, CancellationToken cancellationToken = default)
        => Read(new DicomByteSource(data), options ?? DicomReaderOptions.Default, null, cancellationToken);

    /// <summary>Reads a file from a stream synchronously, in bounded chunks (every value is loaded).</summary>
    public static DicomFile Read(Stream stream, DicomReaderOptions? options = null, CancellationToken cancellationToken = default)
    {
        using var source = new DicomByteSource(stream, allowLazy: false);
        return Read(source, options ?? DicomReaderOptions.Default, null, cancellationToken);
    }

    /// <summary>
    /// Reads a file from a stream: the stream is first buffered asynchronously (up to
    /// <see cref="DicomReaderOptions.MaxStreamLength"/>), then parsed from memory.
    /// </summary>
    public static async Task<DicomFile> ReadAsync(Stream stream, DicomReaderOptions? options, CancellationToken cancellationToken)
    {
        options ??= DicomReaderOptions.Default;
        var data = await BufferAsync(stream, options.MaxStreamLength, cancellationToken).ConfigureAwait(false);
        return Read(new DicomByteSource(data), options, null, cancellationToken);
    }

    private static async Task<ReadOnlyMemory<byte>> BufferAsync(Stream stream, long limit, CancellationToken cancellationToken)
    {
        if (stream.CanSeek)
        {
            long left = stream.Length - stream.Position;
            if (left > limit) throw new DicomFormatException($"stream of {left} bytes is longer than the limit of {limit}");
            var exact = new byte[left];
            await stream.ReadExactlyAsync(exact, cancellationToken).ConfigureAwait(false);
            return exact;
        }
        var ms = new MemoryStream();
        var chunk = new byte[64 * 1024];
        while (true)
        {
            int n = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false);
            if (n == 0) break;
            if (ms.Length + n > limit) throw new DicomFormatException($"stream is longer than the limit of {limit} bytes");
            ms.Write(chunk, 0, n);
        }
        return ms.GetBuffer().AsMemory(0, (int)ms.Length);
    }

    private static DicomFile Read(DicomByteSource source, DicomReaderOptions options, string? path, CancellationToken cancellationToken)
    {
        var (meta, hadMeta) = ReadMeta(source, options, cancellationToken);

        DicomTransferSyntax syntax;
        var uid = meta.GetString(DicomTags.TransferSyntaxUID);
        // A missing or unreadable Transfer Syntax UID is a known device bug: the bytes tell the encoding instead.
        if (string.IsNullOrEmpty(uid) || !DicomTransferSyntax.TryLookup(uid, out syntax)) syntax = SniffSyntax(source);

        using var inflating = syntax.IsDeflated ? DicomInflater.Open(source, options) : null;
        using var inflated = inflating is null ? null : new DicomByteSource(inflating, allowLazy: false);
        var dataSource = inflated ?? source;

        var encoding = DicomEncoding.Of(syntax);
        if (!syntax.IsDeflated && dataSource.Ensure(8))
        {
            // Some writers label a dataset explicit and write it implicit (or the reverse): trust the bytes.
            var sniffed = DicomEncoding.Sniff(dataSource.Peek(8), encoding);
            if (sniffed.IsExplicitVR != encoding.IsExplicitVR) encoding = encoding with { IsExplicitVR = sniffed.IsExplicitVR };
        }

        var dataset = new DicomDataset();
        var builder = new DicomDatasetBuilder(dataset);
        var reader = new DicomReader(dataSource, options, builder, cancellationToken);
        reader.ReadTopLevel(encoding, stopAtNonMetaGroup: false);
        builder.Complete();
        return new DicomFile(meta, dataset, syntax) { HadMeta = hadMeta, IsPartial = reader.Stopped, Path = path };
    }

    /// <summary>
    /// Reads only the preamble and meta group of a Part 10 file: the meta and the offset where the data set starts, so
    /// a caller can send or copy the data set bytes as they are (e.g. a C-STORE of a file without re-encoding it).
    /// </summary>
    internal static DicomFileHeader ReadHeader(string path, CancellationToken cancellationToken)
    {
        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0);
        }
        catch (FileNotFoundException ex)
        {
            throw new DicomFormatException($"no such file: {path}", ex);
        }
        using (stream)
        {
            using var source = new DicomByteSource(stream, allowLazy: false);
            var (meta, hadMeta) = ReadMeta(source, DicomReaderOptions.Default, cancellationToken);
            if (!hadMeta) throw new DicomFormatException($"{path}: not a DICOM Part 10 file (no file meta information)");
            return new DicomFileHeader(meta, source.Position);
        }
    }

    /// <summary>The preamble and meta group (PS3.10 7.1) in whichever of the tolerated forms the file has.</summary>
    private static (DicomDataset Meta, bool HadMeta) ReadMeta(DicomByteSource source, DicomReaderOptions options, CancellationToken cancellationToken)
    {
        var meta = new DicomDataset();
        bool hadMeta = ReadPreamble(source);
        if (!hadMeta && source.Ensure(8) && source.Peek(2)[0] == 0x02 && source.Peek(2)[1] == 0x00)
            hadMeta = true; // meta group without preamble and "DICM"

        if (hadMeta)
        {
            var metaBuilder = new DicomDatasetBuilder(meta);
            new DicomReader(source, options, metaBuilder, cancellationToken).ReadTopLevel(DicomEncoding.ExplicitLittleEndian, stopAtNonMetaGroup: true);
            metaBuilder.Complete();
        }
        return (meta, hadMeta);
    }

    /// <summary>Skips a 128-byte preamble and "DICM" (or a bare "DICM"); false when there is neither.</summary>
    private static bool ReadPreamble(DicomByteSource source)
    {
        if (source.Ensure(132) && source.Peek(132)[128..].SequenceEqual("DICM"u8))
        {
            source.Advance(132);
            return true;
        }
        if (source.Ensure(4) && source.Peek(4).SequenceEqual("DICM"u8))
        {
            source.Advance(4);
            return true;
        }
        // A zeroed preamble without "DICM" in front of a dataset or meta group (seen from old archives): skip it,
        // rather than reading 16 empty (0000,0000) elements.
        if (source.Ensure(136) && !source.Peek(128).ContainsAnyExcept((byte)0) && source.Peek(136)[129] == 0x00
            && source.Peek(136)[128] is 0x02 or 0x08)
        {
            source.Advance(128);
            return source.Peek(2)[0] == 0x02;
        }
        return false;
    }

    private static DicomTransferSyntax SniffSyntax(DicomByteSource source)
    {
        if (!source.Ensure(8))
        {
            if (source.Available == 0) return DicomTransferSyntax.ImplicitVRLittleEndian;
            throw new DicomFormatException($"data too short to be DICOM ({source.Available} bytes)", source.Position);
        }
        var e = DicomEncoding.Sniff(source.Peek(8), DicomEncoding.ImplicitLittleEndian);
        if (e.IsBigEndian) return DicomTransferSyntax.ExplicitVRBigEndian;
        return e.IsExplicitVR ? DicomTransferSyntax.ExplicitVRLittleEndian : DicomTransferSyntax.ImplicitVRLittleEndian;
    }
}
