namespace Agent.Imaging.Postprocessing;

/// <summary>
/// Connected components of a binary box by union-find over runs (maximal stretches of equal bits along x): one scan
/// to find the runs, one merge of each row's runs with the runs of its already-seen neighbour rows. Linear in voxels
/// plus runs, with no per-voxel division or queue. Components are numbered in scan order of their first voxel, as a
/// breadth-first labelling from the first unvisited voxel would number them.
/// </summary>
internal sealed class RunComponents
{
    private readonly int _nx, _ny, _nz;
    private readonly int[] _rowStart; // runs of row r are _rowStart[r] .. _rowStart[r + 1] - 1
    private readonly int[] _start, _end; // x range [start, end) of each run

    /// <summary>Component number (from 0, in scan order) of each run.</summary>
    public int[] ComponentOfRun { get; }

    /// <summary>Voxel count of each component.</summary>
    public long[] Sizes { get; }

    /// <summary>Per component: whether any of its voxels lies on the box's faces.</summary>
    public bool[] TouchesFace { get; }

    public int RunCount => _start.Length;

    /// <param name="ones">Label the set voxels (true) or the clear voxels (false).</param>
    public RunComponents(byte[] bits, int nx, int ny, int nz, bool ones, Connectivity connectivity)
    {
        _nx = nx; _ny = ny; _nz = nz;
        int rows = ny * nz;
        _rowStart = new int[rows + 1];
        var starts = new List<int>();
        var ends = new List<int>();
        for (int r = 0; r < rows; r++)
        {
            _rowStart[r] = starts.Count;
            var row = LabelBoxes.Row(bits, (long)nx * r, nx);
            int i = 0;
            while (i < nx)
            {
                int a = ones ? row[i..].IndexOfAnyExcept((byte)0) : row[i..].IndexOf((byte)0);
                if (a < 0) break;
                a += i;
                int b = ones ? row[a..].IndexOf((byte)0) : row[a..].IndexOfAnyExcept((byte)0);
                b = b < 0 ? nx : a + b;
                starts.Add(a);
                ends.Add(b);
                i = b;
            }
        }
        _rowStart[rows] = starts.Count;
        _start = [.. starts];
        _end = [.. ends];

        var parent = new int[_start.Length];
        for (int n = 0; n < parent.Length; n++) parent[n] = n;
        // Diagonal neighbours widen the overlap test by one voxel on each side.
        int slack = connectivity == Connectivity.TwentySix ? 1 : 0;
        for (int k = 0; k < nz; k++)
            for (int j = 0; j < ny; j++)
            {
                int r = j + ny * k;
                if (j > 0) Join(parent, r, r - 1, slack);
                if (k == 0) continue;
                Join(parent, r, r - ny, slack);
                if (slack == 0) continue;
                if (j > 0) Join(parent, r, r - ny - 1, slack);
                if (j < ny - 1) Join(parent, r, r - ny + 1, slack);
            }

        // Roots are always the smallest run of their component (see Union), so numbering roots in run order numbers
        // components by their first voxel in scan order.
        ComponentOfRun = new int[_start.Length];
        var sizes = new List<long>();
        var touches = new List<bool>();
        for (int n = 0; n < _start.Length; n++)
        {
            int root = Find(parent, n);
            int c;
            if (root == n) { c = sizes.Count; sizes.Add(0); touches.Add(false); }
            else c = ComponentOfRun[root];
            ComponentOfRun[n] = c;
            sizes[c] += _end[n] - _start[n];
        }
        for (int r = 0; r < rows; r++)
        {
            int j = r % ny, k = r / ny;
            bool faceRow = j == 0 || j == ny - 1 || k == 0 || k == nz - 1;
            for (int n = _rowStart[r]; n < _rowStart[r + 1]; n++)
                if (faceRow || _start[n] == 0 || _end[n] == nx) touches[ComponentOfRun[n]] = true;
        }
        Sizes = [.. sizes];
        TouchesFace = [.. touches];
    }

    /// <summary>Sets every voxel of the runs whose component <paramref name="select"/> picks to <paramref name="value"/>.</summary>
    public void Paint(byte[] bits, Func<int, bool> select, byte value)
    {
        var chosen = new bool[Sizes.Length];
        for (int c = 0; c < chosen.Length; c++) chosen[c] = select(c);
        for (int r = 0; r < _ny * _nz; r++)
            for (int n = _rowStart[r]; n < _rowStart[r + 1]; n++)
                if (chosen[ComponentOfRun[n]]) LabelBoxes.Row(bits, (long)_nx * r + _start[n], _end[n] - _start[n]).Fill(value);
    }

    // Merges the runs of row a with the overlapping runs of an earlier row b (both sorted by x).
    private void Join(int[] parent, int a, int b, int slack)
    {
        int p = _rowStart[a], pEnd = _rowStart[a + 1], q = _rowStart[b], qEnd = _rowStart[b + 1];
        while (p < pEnd && q < qEnd)
        {
            if (_start[p] < _end[q] + slack && _start[q] < _end[p] + slack) Union(parent, p, q);
            // Advance whichever run ends first; the other may still overlap the next run.
            if (_end[p] < _end[q]) p++; else q++;
        }
    }

    private static int Find(int[] parent, int x)
    {
        while (parent[x] != x) { parent[x] = parent[parent[x]]; x = parent[x]; }
        return x;
    }

    private static void Union(int[] parent, int a, int b)
    {
        int ra = Find(parent, a), rb = Find(parent, b);
        if (ra == rb) return;
        if (ra < rb) parent[rb] = ra; else parent[ra] = rb;
    }
}
