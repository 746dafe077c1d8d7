namespace Agent.Imaging.Postprocessing;

/// <summary>
/// Exact squared Euclidean distance transform in millimetres (Felzenszwalb and Huttenlocher, "Distance Transforms of
/// Sampled Functions", 2012): one lower-envelope-of-parabolas pass per axis, O(N) each, parallel over lines, using each
/// axis's own spacing. Distances above a limit are only needed as "too far", so they are stored as +infinity: whole
/// lines of "too far" or "on a site" are then skipped, and work follows the structure's surface, not its box.
/// </summary>
internal static class DistanceTransform
{
    /// <summary>
    /// Writes into <paramref name="d"/> the squared distance (mm²) from each voxel to the nearest voxel whose bit is
    /// <paramref name="siteIsSet"/> (set or clear); values above <paramref name="limit"/> become +infinity.
    /// </summary>
    /// <param name="outsideIsSite">Count every voxel outside the box as a site (for erosion: outside is background).</param>
    public static void Squared(byte[] bits, int nx, int ny, int nz, (double X, double Y, double Z) spacing,
        bool siteIsSet, bool outsideIsSite, double limit, float[] d)
    {
        AlongX(bits, nx, ny, nz, spacing.X, siteIsSet, outsideIsSite, limit, d);
        AlongY(d, nx, ny, nz, spacing.Y, outsideIsSite, limit);
        AlongZ(d, nx, ny, nz, spacing.Z, outsideIsSite, limit);
    }

    // First axis on the binary input: the distance to the nearest site in the row, by a forward and a backward sweep.
    private static void AlongX(byte[] bits, int nx, int ny, int nz, double s, bool siteIsSet, bool outsideIsSite, double limit, float[] d)
    {
        // Beyond this many voxels the squared distance exceeds the limit on its own.
        int reach = (int)Math.Min(nx + 1, Math.Floor(Math.Sqrt(limit) / s) + 1);
        Parallel.For(0, nz, k =>
        {
            for (int j = 0; j < ny; j++)
            {
                long start = (long)nx * (j + (long)ny * k);
                var row = LabelBoxes.Row(bits, start, nx);
                var outRow = System.Runtime.InteropServices.MemoryMarshal.CreateSpan(ref d[start], nx);
                // A row with no site is "too far" throughout unless the box edges are sites; a row of sites is all 0.
                bool anySet = row.IndexOfAnyExcept((byte)0) >= 0, anyClear = row.IndexOf((byte)0) >= 0;
                bool anySite = siteIsSet ? anySet : anyClear, allSites = siteIsSet ? !anyClear : !anySet;
                if (allSites) { outRow.Clear(); continue; }
                if (!anySite && !outsideIsSite) { outRow.Fill(float.PositiveInfinity); continue; }
                int last = outsideIsSite ? -1 : int.MinValue / 2;
                for (int i = 0; i < nx; i++)
                {
                    if ((row[i] != 0) == siteIsSet) last = i;
                    // Store the voxel distance for now; squared and scaled in the backward sweep.
                    outRow[i] = i - (long)last >= reach ? float.PositiveInfinity : i - last;
                }
                int next = outsideIsSite ? nx : int.MaxValue / 2;
                for (int i = nx - 1; i >= 0; i--)
                {
                    if ((row[i] != 0) == siteIsSet) next = i;
                    double n = Math.Min(outRow[i], (double)next - i);
                    double v = n * s * n * s;
                    outRow[i] = n >= reach || v > limit ? float.PositiveInfinity : (float)v;
                }
            }
        });
    }

    // A line made only of this value is left as it is by the next pass: +infinity when there are no sites beyond the
    // box (nothing near), 0 when there are (everything is a site).
    private static float Unchanged(bool outsideIsSite) => outsideIsSite ? 0f : float.PositiveInfinity;

    private static void AlongY(float[] d, int nx, int ny, int nz, double s, bool outsideIsSite, double limit)
    {
        float unchanged = Unchanged(outsideIsSite);
        Parallel.For(0, nz, () => (Line: new Line(ny), Active: new List<int>(), Seen: new bool[nx]), (k, _, local) =>
        {
            var (line, active, seen) = local;
            long slice = (long)nx * ny * k;
            if (!ActiveColumns(d, slice, nx, ny, nx, unchanged, active, seen)) return local;
            foreach (int i in active)
            {
                for (int j = 0; j < ny; j++) line.F[j] = d[slice + i + (long)nx * j];
                if (!line.Envelope(ny, s, outsideIsSite, limit)) continue;
                for (int j = 0; j < ny; j++) d[slice + i + (long)nx * j] = line.Out[j];
            }
            return local;
        }, _ => { });
    }

    private static void AlongZ(float[] d, int nx, int ny, int nz, double s, bool outsideIsSite, double limit)
    {
        long plane = (long)nx * ny;
        float unchanged = Unchanged(outsideIsSite);
        // Per row j: copy the active columns of the x-z plane transposed so each z line is contiguous, then back.
        Parallel.For(0, ny, () => (Line: new Line(nz), Plane: new float[(long)nx * nz], Active: new List<int>(), Seen: new bool[nx]), (j, _, local) =>
        {
            var (line, buffer, active, seen) = local;
            if (!ActiveColumns(d, (long)nx * j, nx, nz, plane, unchanged, active, seen)) return local;
            for (int k = 0; k < nz; k++)
            {
                long src = (long)nx * j + plane * k;
                foreach (int i in active) buffer[(long)i * nz + k] = d[src + i];
            }
            foreach (int i in active)
            {
                var column = buffer.AsSpan(i * nz, nz);
                column.CopyTo(line.F);
                if (line.Envelope(nz, s, outsideIsSite, limit)) line.Out.AsSpan(0, nz).CopyTo(column);
            }
            for (int k = 0; k < nz; k++)
            {
                long dst = (long)nx * j + plane * k;
                foreach (int i in active) d[dst + i] = buffer[(long)i * nz + k];
            }
            return local;
        }, _ => { });
    }

    /// <summary>
    /// Lists the x positions where any of <paramref name="rows"/> rows (nx values each, <paramref name="stride"/>
    /// apart from <paramref name="start"/>) differs from <paramref name="unchanged"/>: only those lines need work.
    /// Rows wholly unchanged are skipped by a vectorised search, so empty regions of a box cost little.
    /// </summary>
    private static bool ActiveColumns(float[] d, long start, int nx, int rows, long stride, float unchanged, List<int> active, bool[] seen)
    {
        active.Clear();
        Array.Clear(seen);
        for (int r = 0; r < rows; r++)
        {
            var row = System.Runtime.InteropServices.MemoryMarshal.CreateSpan(ref d[start + stride * r], nx);
            int i = row.IndexOfAnyExcept(unchanged);
            if (i < 0) continue;
            for (; i < nx; i++)
                if (row[i] != unchanged && !seen[i]) { seen[i] = true; active.Add(i); }
        }
        active.Sort();
        return active.Count > 0;
    }

    /// <summary>Scratch for one line: input, output and the lower envelope's parabolas.</summary>
    private sealed class Line(int n)
    {
        public float[] F { get; } = new float[n];
        public float[] Out { get; } = new float[n];
        private readonly int[] _v = new int[n + 2];
        private readonly double[] _fv = new double[n + 2];
        private readonly double[] _z = new double[n + 3];

        /// <summary>
        /// Out[p] = min over sites q of F[q] + ((p - q) s)², above the limit as +infinity; with
        /// <paramref name="ends"/>, positions -1 and n are sites of value 0. Returns false when Out would equal F
        /// (nothing to do: every value is a site or every value is infinite with no end sites).
        /// </summary>
        public bool Envelope(int n, double s, bool ends, double limit)
        {
            var f = F.AsSpan(0, n);
            if (f.IndexOfAnyExcept(0f) < 0) return false;
            if (!ends && f.IndexOfAnyExcept(float.PositiveInfinity) < 0) return false;
            double s2 = s * s;
            int top = -1;
            int first = ends ? -1 : 0, lastSite = ends ? n : n - 1;
            for (int q = first; q <= lastSite; q++)
            {
                double fq = q < 0 || q >= n ? 0 : f[q];
                if (double.IsPositiveInfinity(fq)) continue;
                double cut = 0;
                while (top >= 0)
                {
                    int v = _v[top];
                    cut = (fq + s2 * q * q - (_fv[top] + s2 * v * v)) / (2 * s2 * (q - v));
                    if (cut > _z[top]) break;
                    top--;
                }
                top++;
                _v[top] = q;
                _fv[top] = fq;
                _z[top] = top == 0 ? double.NegativeInfinity : cut;
                _z[top + 1] = double.PositiveInfinity;
            }
            if (top < 0)
            {
                Out.AsSpan(0, n).Fill(float.PositiveInfinity);
                return true;
            }
            int at = 0;
            for (int p = 0; p < n; p++)
            {
                while (_z[at + 1] < p) at++;
                double dq = (p - _v[at]) * s;
                double value = _fv[at] + dq * dq;
                Out[p] = value > limit ? float.PositiveInfinity : (float)value;
            }
            return true;
        }
    }
}
