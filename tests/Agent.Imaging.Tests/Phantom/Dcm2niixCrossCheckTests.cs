using System.Text.Json;
using Agent.Imaging.Phantom;

namespace Agent.Imaging.Tests.Phantom;

/// <summary>
/// dcm2niix (an independent DICOM-to-NIfTI converter) turns our shuffled phantom DICOM files into a NIfTI whose voxels
/// sit at the same world positions, with the same values, as our own NIfTI of the volume: DICOM geometry, slice
/// sorting and NIfTI writing agree with a reference implementation.
/// </summary>
public sealed class Dcm2niixCrossCheckTests
{
    [Theory]
    [InlineData(PatientPosition.FFS, 31)]
    [InlineData(PatientPosition.HFS, 32)]
    public async Task Dcm2niix_and_our_NIfTI_hold_the_same_values_at_the_same_world_positions(PatientPosition position, int seed)
    {
        using var tmp = new TempFolder();
        var phantom = PhantomGenerator.Generate(new PhantomOptions { Seed = seed, Position = position, Matrix = 72, PixelSpacing = 5.5, SliceSpacing = 6 });
        await PhantomWriter.WriteAsync(phantom, tmp.Path, CancellationToken.None);
        Directory.CreateDirectory(tmp.File("d2n"));
        var (code, log) = await Tool.RunAsync("dcm2niix", "-z", "y", "-f", "conv", "-o", tmp.File("d2n"), tmp.File("dicom"));
        Assert.True(code == 0, log);

        var json = await Python.RunAsync("""
            import sys, json, nibabel as nib, numpy as np
            ref = nib.load(sys.argv[1]); ours = nib.load(sys.argv[2])
            a = np.asarray(ref.dataobj).astype(np.float64); b = np.asarray(ours.dataobj).astype(np.float64)
            ii = np.stack(np.meshgrid(*[np.arange(n) for n in b.shape], indexing='ij'), -1).reshape(-1, 3)
            world = ours.affine[:3, :3] @ ii.T + ours.affine[:3, 3:4]
            jj = np.linalg.inv(ref.affine[:3, :3]) @ (world - ref.affine[:3, 3:4])
            r = np.rint(jj).astype(int)
            ok = np.all((r >= 0) & (r < np.array(a.shape)[:, None]), axis=0)
            off = float(np.abs(jj - r).max())
            diff = float(np.abs(a[tuple(r[:, ok])] - b.reshape(-1)[ok]).max())
            print(json.dumps({"inside": float(ok.mean()), "offGrid": off, "maxDiff": diff}))
            """, tmp.File("d2n/conv.nii.gz"), tmp.File("image.nii.gz"));

        using var doc = JsonDocument.Parse(json);
        Assert.Equal(1.0, doc.RootElement.GetProperty("inside").GetDouble());
        Assert.True(doc.RootElement.GetProperty("offGrid").GetDouble() < 1e-3, json);
        Assert.Equal(0.0, doc.RootElement.GetProperty("maxDiff").GetDouble());
    }
}
