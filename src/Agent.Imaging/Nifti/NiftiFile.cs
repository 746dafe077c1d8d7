using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace Agent.Imaging.Nifti;

/// <summary>
/// NIfTI-1 single-file images (.nii, .nii.gz). NIfTI's world space is RAS and DICOM's is LPS, so x and y flip on the
/// way in and out. Malformed or oversized input raises <see cref="InvalidDataException"/>.
/// </summary>
public static class NiftiFile
{
    private const int HeaderSize = 348;
    private const int DataOffset = 352;

    /// <summary>The largest image read (voxels), bounding memory for hostile or corrupt headers and gzip bombs.</summary>
    public const long DefaultMaxVoxels = 1L << 30;

    public static NiftiImage Read(string path, long maxVoxels = DefaultMaxVoxels)
    {
        using var file = File.OpenRead(path);
        return Read(file, IsGzip(path), maxVoxels);
    }

    public static Volume ReadVolume(string path) => Read(path).ToVolume();

    public static LabelVolume ReadLabels(string path) => Read(path).ToLabels();

    public static NiftiImage Read(Stream stream, bool gzip, long maxVoxels = DefaultMaxVoxels)
    {
        using var input = gzip ? new GZipStream(stream, CompressionMode.Decompress, leaveOpen: true) : null;
        var s = (Stream?)input ?? stream;
        var header = new byte[HeaderSize];
        try { s.ReadExactly(header); }
        catch (EndOfStreamException e) { throw new InvalidDataException("NIfTI header is truncated", e); }

        bool little = BinaryPrimitives.ReadInt32LittleEndian(header) == HeaderSize;
        if (!little && BinaryPrimitives.ReadInt32BigEndian(header) != HeaderSize)
            throw new InvalidDataException("not a NIfTI-1 file (sizeof_hdr is not 348)");
        var h = new HeaderReader(header, little);
        var magic = Encoding.ASCII.GetString(header, 344, 3);
        if (magic is not ("n+1" or "ni1")) throw new InvalidDataException($"NIfTI magic '{magic}' is not n+1");
        if (magic == "ni1") throw new InvalidDataException("two-file NIfTI (.hdr/.img) is not supported");

        int rank = h.Short(40);
        if (rank is < 1 or > 7) throw new InvalidDataException($"dim[0] = {rank} is not 1..7");
        var dims = new int[7];
        for (int i = 0; i < 7; i++) dims[i] = i < rank ? h.Short(42 + 2 * i) : 1;
        if (dims.Any(d => d < 1)) throw new InvalidDataException("a dimension is zero or negative");
        if (dims.Skip(3).Any(d => d != 1)) throw new InvalidDataException("only 3D images are supported (dim[4..7] must be 1)");
        long count = (long)dims[0] * dims[1] * dims[2];
        if (count > Math.Min(maxVoxels, Array.MaxLength)) throw new InvalidDataException($"image of {count} voxels exceeds the limit of {maxVoxels}");

        var type = (NiftiDataType)h.Short(70);
        int bytesPer = NiftiDataTypes.BytesPerVoxel(type);
        if (bytesPer == 0) throw new InvalidDataException($"NIfTI datatype {(short)type} is not supported");
        var voxOffset = h.Float(108);
        if (!(voxOffset >= DataOffset - 4) || voxOffset > 1 << 24) throw new InvalidDataException($"vox_offset {voxOffset} is invalid");

        var pixdim = new double[8];
        for (int i = 0; i < 8; i++) pixdim[i] = h.Float(76 + 4 * i);
        var (geometry, source) = NiftiTransforms.ReadGeometry(h, (dims[0], dims[1], dims[2]), pixdim);

        double slope = h.Float(112), inter = h.Float(116);
        if (!double.IsFinite(slope) || slope == 0) (slope, inter) = (1, 0);
        if (!double.IsFinite(inter)) inter = 0;

        Skip(s, (long)voxOffset - HeaderSize);
        var values = new float[count];
        ReadValues(s, values, type, bytesPer, little, slope, inter);
        return new NiftiImage(geometry, values, type, source);
    }

    private static void Skip(Stream s, long bytes)
    {
        Span<byte> scratch = stackalloc byte[256];
        while (bytes > 0)
        {
            var n = s.Read(scratch[..(int)Math.Min(bytes, scratch.Length)]);
            if (n == 0) throw new InvalidDataException("NIfTI file ends before its data");
            bytes -= n;
        }
    }

    private static void ReadValues(Stream s, float[] values, NiftiDataType type, int bytesPer, bool little, double slope, double inter)
    {
        var chunk = new byte[bytesPer * 65536];
        long done = 0;
        while (done < values.LongLength)
        {
            int n = (int)Math.Min(65536, values.LongLength - done);
            try { s.ReadExactly(chunk, 0, n * bytesPer); }
            catch (EndOfStreamException e) { throw new InvalidDataException("NIfTI data is truncated", e); }
            var span = chunk.AsSpan(0, n * bytesPer);
            for (int i = 0; i < n; i++)
            {
                var b = span.Slice(i * bytesPer, bytesPer);
                double raw = type switch
                {
                    NiftiDataType.UInt8 => b[0],
                    NiftiDataType.Int8 => (sbyte)b[0],
                    NiftiDataType.Int16 => little ? BinaryPrimitives.ReadInt16LittleEndian(b) : BinaryPrimitives.ReadInt16BigEndian(b),
                    NiftiDataType.UInt16 => little ? BinaryPrimitives.ReadUInt16LittleEndian(b) : BinaryPrimitives.ReadUInt16BigEndian(b),
                    NiftiDataType.Int32 => little ? BinaryPrimitives.ReadInt32LittleEndian(b) : BinaryPrimitives.ReadInt32BigEndian(b),
                    NiftiDataType.UInt32 => little ? BinaryPrimitives.ReadUInt32LittleEndian(b) : BinaryPrimitives.ReadUInt32BigEndian(b),
                    NiftiDataType.Float32 => little ? BinaryPrimitives.ReadSingleLittleEndian(b) : BinaryPrimitives.ReadSingleBigEndian(b),
                    _ => little ? BinaryPrimitives.ReadDoubleLittleEndian(b) : BinaryPrimitives.ReadDoubleBigEndian(b),
                };
                values[done + i] = (float)(raw * slope + inter);
            }
            done += n;
        }
    }

    public static void Write(string path, Volume volume, NiftiDataType type = NiftiDataType.Float32, double slope = 1, double intercept = 0)
        => WriteFile(path, volume.Geometry, type, slope, intercept, i => volume.Voxels[i]);

    public static void Write(string path, LabelVolume labels)
        => WriteFile(path, labels.Geometry, NiftiDataType.UInt8, 1, 0, i => labels.Labels[i]);

    private static void WriteFile(string path, ImageGeometry g, NiftiDataType type, double slope, double intercept, Func<long, float> value)
    {
        var tmp = path + ".tmp";
        using (var file = File.Create(tmp))
        {
            using var gz = IsGzip(path) ? new GZipStream(file, CompressionLevel.Fastest, leaveOpen: true) : null;
            Write((Stream?)gz ?? file, g, type, slope, intercept, value);
        }
        File.Move(tmp, path, overwrite: true);
    }

    /// <summary>Writes header (qform and sform both set, code 1 = scanner) and data; values are stored as (v - intercept) / slope.</summary>
    public static void Write(Stream stream, ImageGeometry g, NiftiDataType type, double slope, double intercept, Func<long, float> value)
    {
        int bytesPer = NiftiDataTypes.BytesPerVoxel(type);
        if (bytesPer == 0) throw new ArgumentException($"datatype {type} cannot be written", nameof(type));
        if (slope == 0 || !double.IsFinite(slope)) throw new ArgumentException("scl_slope must be finite and non-zero", nameof(slope));
        if (g.Size.X > short.MaxValue || g.Size.Y > short.MaxValue || g.Size.Z > short.MaxValue)
            throw new ArgumentException("NIfTI-1 dimensions are limited to 32767", nameof(g));
        var header = NiftiTransforms.BuildHeader(g, type, bytesPer, slope, intercept, DataOffset);
        stream.Write(header);
        stream.Write(new byte[DataOffset - HeaderSize]); // no extensions

        var chunk = new byte[bytesPer * 65536];
        long total = g.VoxelCount;
        for (long done = 0; done < total;)
        {
            int n = (int)Math.Min(65536, total - done);
            var span = chunk.AsSpan(0, n * bytesPer);
            for (int i = 0; i < n; i++)
            {
                double stored = (value(done + i) - intercept) / slope;
                var b = span.Slice(i * bytesPer, bytesPer);
                switch (type)
                {
                    case NiftiDataType.UInt8: b[0] = (byte)Math.Clamp(Math.Round(stored), 0, 255); break;
                    case NiftiDataType.Int8: b[0] = (byte)(sbyte)Math.Clamp(Math.Round(stored), -128, 127); break;
                    case NiftiDataType.Int16: BinaryPrimitives.WriteInt16LittleEndian(b, (short)Math.Clamp(Math.Round(stored), short.MinValue, short.MaxValue)); break;
                    case NiftiDataType.UInt16: BinaryPrimitives.WriteUInt16LittleEndian(b, (ushort)Math.Clamp(Math.Round(stored), 0, ushort.MaxValue)); break;
                    case NiftiDataType.Int32: BinaryPrimitives.WriteInt32LittleEndian(b, (int)Math.Clamp(Math.Round(stored), int.MinValue, int.MaxValue)); break;
                    case NiftiDataType.UInt32: BinaryPrimitives.WriteUInt32LittleEndian(b, (uint)Math.Clamp(Math.Round(stored), 0, uint.MaxValue)); break;
                    case NiftiDataType.Float32: BinaryPrimitives.WriteSingleLittleEndian(b, (float)stored); break;
                    default: BinaryPrimitives.WriteDoubleLittleEndian(b, stored); break;
                }
            }
            stream.Write(span);
            done += n;
        }
    }

    private static bool IsGzip(string path) => path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase);
}

internal readonly struct HeaderReader(byte[] bytes, bool little)
{
    public short Short(int offset) => little ? BinaryPrimitives.ReadInt16LittleEndian(bytes.AsSpan(offset)) : BinaryPrimitives.ReadInt16BigEndian(bytes.AsSpan(offset));
    public float Float(int offset) => little ? BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(offset)) : BinaryPrimitives.ReadSingleBigEndian(bytes.AsSpan(offset));
}
