namespace Agent.Dicom;

/// <summary>
/// The bytes of one element value, always in little-endian order. Large values read from files stay on disk until
/// asked for, so a reader can index a 1 GB multi-frame without loading its pixels.
/// </summary>
public abstract class DicomBuffer
{
    public abstract long Length { get; }

    /// <summary>The whole value in memory (loads it once if it lives in a file).</summary>
    public abstract ReadOnlyMemory<byte> Memory { get; }

    public ReadOnlySpan<byte> Span => Memory.Span;

    public bool IsLoaded { get; protected set; } = true;

    public virtual ValueTask CopyToAsync(Stream destination, CancellationToken cancellationToken)
        => destination.WriteAsync(Memory, cancellationToken);

    public virtual void CopyTo(Stream destination) => destination.Write(Memory.Span);

    public static DicomBuffer Empty { get; } = new MemoryBuffer(ReadOnlyMemory<byte>.Empty);

    public static DicomBuffer From(ReadOnlyMemory<byte> bytes) => bytes.IsEmpty ? Empty : new MemoryBuffer(bytes);
}

public sealed class MemoryBuffer(ReadOnlyMemory<byte> bytes) : DicomBuffer
{
    public override long Length => bytes.Length;
    public override ReadOnlyMemory<byte> Memory => bytes;
}

/// <summary>
/// A value region of a file read on first access. When the file is big endian, <paramref name="swapUnit"/> (2, 4 or 8)
/// makes the loaded bytes little endian like every other buffer.
/// </summary>
public sealed class FileRangeBuffer(string path, long offset, long length, int swapUnit = 1) : DicomBuffer
{
    // A reference, not a struct, so concurrent first reads never see a torn value.
    private byte[]? _loaded;

    public string Path { get; } = path;
    public long Offset { get; } = offset;
    public override long Length { get; } = length;

    public override ReadOnlyMemory<byte> Memory
    {
        get
        {
            if (_loaded is { } m) return m;
            if (Length > Array.MaxLength) throw new DicomFormatException($"value of {Length} bytes is too large to load", Offset);
            var bytes = new byte[Length];
            try
            {
                using var fs = new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.RandomAccess);
                fs.Position = Offset;
                fs.ReadExactly(bytes);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // The file changed or vanished since it was parsed: the value is gone, report it like bad data.
                throw new DicomFormatException($"cannot load a {Length}-byte value from {Path}: {ex.Message}", Offset, ex);
            }
            if (swapUnit > 1) ByteSwap.InPlace(bytes, swapUnit);
            _loaded = bytes;
            return bytes;
        }
    }

    public FileRangeBuffer Lazy() { IsLoaded = false; return this; }

    public override async ValueTask CopyToAsync(Stream destination, CancellationToken cancellationToken)
    {
        if (_loaded is { } m || swapUnit > 1) { await destination.WriteAsync(Memory, cancellationToken).ConfigureAwait(false); return; }
        await using var fs = new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);
        fs.Position = Offset;
        var buffer = new byte[(int)Math.Min(Length, 1 << 20)];
        for (long left = Length; left > 0;)
        {
            var n = await fs.ReadAsync(buffer.AsMemory(0, (int)Math.Min(left, buffer.Length)), cancellationToken).ConfigureAwait(false);
            if (n == 0) throw new DicomFormatException("file shrank while reading a value", Offset);
            await destination.WriteAsync(buffer.AsMemory(0, n), cancellationToken).ConfigureAwait(false);
            left -= n;
        }
    }
}

public static class ByteSwap
{
    public static void InPlace(Span<byte> bytes, int unit)
    {
        switch (unit)
        {
            case 2:
                for (int i = 0; i + 1 < bytes.Length; i += 2) (bytes[i], bytes[i + 1]) = (bytes[i + 1], bytes[i]);
                break;
            case 4:
            case 8:
                for (int i = 0; i + unit <= bytes.Length; i += unit) bytes.Slice(i, unit).Reverse();
                break;
        }
    }
}
