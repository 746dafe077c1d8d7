namespace Agent.Imaging.Postprocessing;

/// <summary>
/// Exact squared Euclidean distance transform in millimetres (Felzenszwalb and Huttenlocher, "Distance Transforms of
/// Sampled Functions", 2012): one lower-envelope-of-parabolas pass per axis, O(N) each, parallel over lines, using each
/// axis's own spacing. Distances above a limit are only needed as "too far", so they are +infinity.
/// </summary>
/// <remarks>
/// A label's box is often the whole scan (an imperfect model's specks are everywhere) while the structure fills a
/// fraction of it, so the transform tracks per x row whether the row holds anything but the value the next pass leaves
/// as it is (+infinity without sites outside the box, 0 with them). Rows without are never read or written: their
/// floats are not even touched, and work and memory traffic follow the structure, not its box.
/// </remarks>
internal static class DistanceTransform
{
    /// <summary>
    /// Writes into <paramref name="d"/> the squared distance (mm²) from each voxel to the nearest voxel whose bit is
    /// <paramref name="siteIsSet"/> (set or clear); values above <paramref name="limit"/> become +infinity.
    /// </summary>
    /// <param name="outsideIsSite">Count every voxel outside the box as a site (for erosion: outside is background).</param>
    /// <returns>
    /// Per row (j + Ny·k): 1 when the row of <paramref name="d"/> holds the result, 0 when the whole row is the
    /// unchanged value (+infinity, or 0 with <paramref name="outsideIsSite"/>) and was not written.
    /// </returns>
    public static byte[] Squared(byte[] bits, int nx, int ny, int nz, (double X, double Y, double Z) spacing,
        bool siteIsSet, bool outsideIsSite, double limit, float[] d)
    {
        var valid = new byte[(long)ny * nz];
        AlongX(bits, nx, ny, nz, spacing.X, siteIsSet, outsideIsSite, limit, d, valid);
        float unchanged = outsideIsSite ? 0f : float.PositiveInfinity;
        // Without sites outside, a row gains finite values only from rows within reach; with them, a row of zeros
        // (all sites) stays zeros.
        int reachY = outsideIsSite ? 0 : Reach(limit, spacing.Y, ny);
        int reachZ = outsideIsSite ? 0 : Reach(limit, spacing.Z, nz);
        // y lines of slice k: rows j + ny·k, j = 0..ny-1, nx floats apart.
        Parallel.For(0, nz, () => new Pass(nx, ny), (k, _, pass) =>
        {
            pass.Run(d, valid, (long)nx * ny * k, nx, ny * k, 1, spacing.Y, outsideIsSite, limit, unchanged, reachY);
            return pass;
        }, _ => { });
        // z lines of plane j: rows j + ny·k, k = 0..nz-1, nx·ny floats apart.
        Parallel.For(0, ny, () => new Pass(nx, nz), (j, _, pass) =>
        {
            pass.Run(d, valid, (long)nx * j, (long)nx * ny, j, ny, spacing.Z, outsideIsSite, limit, unchanged, reachZ);
            return pass;
        }, _ => { });
        return valid;
    }

    // The largest offset along an axis whose squared distance alone stays within the limit.
    private static int Reach(double limit, double s, int n) => (int)Math.Min(n, Math.Floor(Math.Sqrt(limit) / s));

    // First axis on the binary input: the distance to the nearest site in the row, by a forward and a backward sweep.
    private static void AlongX(byte[] bits, int nx, int ny, int nz, double s, bool siteIsSet, bool outsideIsSite, double limit, float[] d, byte[] valid)
    {
        // Beyond this many voxels the squared distance exceeds the limit on its own.
        int reach = Reach(limit, s, nx) + 1;
        Parallel.For(0, nz, k =>
        {
            for (int j = 0; j < ny; j++)
            {
                long start = (long)nx * (j + (long)ny * k);
                var row = LabelBoxes.Row(bits, start, nx);
                // A row with no site is "too far" throughout unless the box edges are sites; a row of sites is all 0.
                bool anySet = row.IndexOfAnyExcept((byte)0) >= 0, anyClear = row.IndexOf((byte)0) >= 0;
                bool anySite = siteIsSet ? anySet : anyClear, allSites = siteIsSet ? !anyClear : !anySet;
                if (allSites && outsideIsSite) continue; // all 0: the unchanged value
                if (!anySite && !outsideIsSite) continue; // all +infinity: the unchanged value
                valid[j + (long)ny * k] = 1;
                var outRow = System.Runtime.InteropServices.MemoryMarshal.CreateSpan(ref d[start], nx);
                if (allSites) { outRow.Clear(); continue; }
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

    /// <summary>One later pass over the lines of one slice or plane: m rows of nx floats, a fixed stride apart.</summary>
    private sealed class Pass(int nx, int m)
    {
        private readonly Line _line = new(m);
        private readonly float[] _buffer = new float[(long)nx * m];
        private readonly List<int> _active = [];
        private readonly bool[] _seen = new bool[nx];
        private readonly byte[] _before = new byte[m];

        /// <param name="start">Offset in d of row 0.</param>
        /// <param name="stride">Floats between consecutive rows.</param>
        /// <param name="flag0">Index in valid of row 0; <paramref name="flagStride"/> between rows.</param>
        /// <param name="reach">Rows a finite value can spread in this pass (0 when zeros are the unchanged value).</param>
        public void Run(float[] d, byte[] valid, long start, long stride, long flag0, long flagStride,
            double s, bool ends, double limit, float unchanged, int reach)
        {
            bool any = false;
            for (int r = 0; r < m; r++) { _before[r] = valid[flag0 + flagStride * r]; any |= _before[r] != 0; }
            if (!any) return;
            // Columns (x positions) where some valid row differs from the unchanged value: only those lines can change.
            _active.Clear();
            Array.Clear(_seen);
            for (int r = 0; r < m; r++)
            {
                if (_before[r] == 0) continue;
                var row = Row(d, start + stride * r, nx);
                int i = row.IndexOfAnyExcept(unchanged);
                if (i < 0) continue;
                for (; i < nx; i++)
                    if (row[i] != unchanged && !_seen[i]) { _seen[i] = true; _active.Add(i); }
            }
            if (_active.Count == 0) return;
            // Rows that gain finite values start as the unchanged value everywhere; the active columns overwrite them.
            int lastValid = int.MinValue / 2;
            for (int r = 0; r < m; r++)
            {
                if (_before[r] != 0) { lastValid = r; continue; }
                bool near = r - lastValid <= reach;
                for (int q = r + 1; !near && q <= Math.Min(m - 1, r + reach); q++) near = _before[q] != 0;
                if (!near) continue;
                Row(d, start + stride * r, nx).Fill(unchanged);
                valid[flag0 + flagStride * r] = 1;
            }
            // Copy the active columns transposed so each line is contiguous, run the envelope, copy back.
            for (int r = 0; r < m; r++)
            {
                if (_before[r] == 0) { foreach (int i in _active) _buffer[(long)i * m + r] = unchanged; continue; }
                var row = Row(d, start + stride * r, nx);
                foreach (int i in _active) _buffer[(long)i * m + r] = row[i];
            }
            foreach (int i in _active)
            {
                // Only the stretch from the first to the last value that is not the unchanged one needs the envelope
                // (widened by the reach when finite values spread). Beyond it a line stays +infinity; with sites
                // outside (erosion) it is zeros, i.e. sites right next to the stretch, which is what the envelope's
                // end sites at -1 and n stand for.
                var column = _buffer.AsSpan(i * m, m);
                int first = column.IndexOfAnyExcept(unchanged), last = column.LastIndexOfAnyExcept(unchanged);
                if (first < 0) continue;
                int lo = Math.Max(0, first - reach), hi = Math.Min(m - 1, last + reach);
                var stretch = column[lo..(hi + 1)];
                stretch.CopyTo(_line.F);
                if (_line.Envelope(stretch.Length, s, ends, limit)) _line.Out.AsSpan(0, stretch.Length).CopyTo(stretch);
            }
            for (int r = 0; r < m; r++)
            {
                if (valid[flag0 + flagStride * r] == 0) continue;
                var row = Row(d, start + stride * r, nx);
                foreach (int i in _active) row[i] = _buffer[(long)i * m + r];
            }
        }

        private static Span<float> Row(float[] d, long start, int length) =>
            System.Runtime.InteropServices.MemoryMarshal.CreateSpan(ref d[start], length);
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
