using System.Runtime.InteropServices;
using System.Text;

namespace MLNet.Adam.Kernels.Mkl;

/// <summary>
/// Every native call of the repository: Intel MKL's single dynamic library (libmkl_rt), loaded and bound at run time
/// through <see cref="NativeLibrary"/> and unmanaged function pointers, so that nothing needs MKL to build or to run
/// the managed backend. Integer arguments are 32-bit: the LP64 interface layer is selected (and verified) at load.
/// </summary>
/// <remarks>
/// At load the threading layer is set to sequential before any computational call. Two reasons: MKL's OpenMP
/// threads fight the .NET threads that shard the batches (DESIGN.md section 2), and the default Intel threading
/// layer needs libiomp5, which Debian's libmkl-rt does not pull in: without it the first BLAS call aborts the process.
/// If another component of the process initialized MKL first with another layer, each calling thread is still
/// limited to one MKL thread by <c>MKL_Set_Num_Threads_Local(1)</c>.
/// </remarks>
internal sealed unsafe class MklNative
{
    // CBLAS, sparse BLAS and service-layer enumeration values (mkl_cblas.h, mkl_spblas.h, mkl_service.h).
    internal const int CblasRowMajor = 101;
    internal const int CblasNoTrans = 111;
    internal const int CblasTrans = 112;
    internal const int SparseIndexBaseZero = 0;
    internal const int SparseOperationNonTranspose = 10;
    internal const int SparseOperationTranspose = 11;
    internal const int SparseMatrixTypeGeneral = 20;
    internal const int SparseLayoutRowMajor = 101;
    internal const int SparseLayoutColumnMajor = 102;
    private const int InterfaceLp64 = 0;
    private const int ThreadingSequential = 1;

    /// <summary>
    /// VML accuracy mode of every vector-math call: high accuracy (VML_HA, about 1 ulp; sqrt and divide correctly
    /// rounded in practice), errors ignored (VML_ERRMODE_IGNORE: no errno or callbacks), FTZ/DAZ left as the CPU has
    /// them (.NET keeps denormals).
    /// </summary>
    internal const ulong VmlMode = 0x2 | 0x100;

    private static readonly Lazy<MklNative?> Loaded = new(Load, LazyThreadSafetyMode.ExecutionAndPublication);
    private static string _loadFailure = "not probed";

    [ThreadStatic]
    private static bool _threadLimited;

    private readonly delegate* unmanaged<int, int> _setNumThreadsLocal;
    private readonly delegate* unmanaged<int, int, int, int, int, int, float, float*, int, float*, int, float, float*, int, void> _sgemm;
    private readonly delegate* unmanaged<int, float, float*, int, float*, int, void> _saxpy;
    private readonly delegate* unmanaged<int, float, float*, int, float, float*, int, void> _saxpby;
    private readonly delegate* unmanaged<int, float*, float*, ulong, void> _vmsSqr;
    private readonly delegate* unmanaged<int, float*, float*, ulong, void> _vmsSqrt;
    private readonly delegate* unmanaged<int, float*, float*, ulong, void> _vmsAbs;
    private readonly delegate* unmanaged<int, float*, float*, float*, ulong, void> _vmsFdim;
    private readonly delegate* unmanaged<int, float*, float*, float*, ulong, void> _vmsCopySign;
    private readonly delegate* unmanaged<int, float*, float*, float, float, float, float, float*, ulong, void> _vmsLinearFrac;
    private readonly delegate* unmanaged<nint*, int, int, int, int*, int*, int*, float*, int> _sparseCreateCsr;
    private readonly delegate* unmanaged<int, float, nint, MatrixDescriptor, int, float*, int, int, float, float*, int, int> _sparseMm;
    private readonly delegate* unmanaged<nint, int> _sparseDestroy;

    private MklNative(nint library, string fileName)
    {
        FileName = fileName;
        _setNumThreadsLocal = (delegate* unmanaged<int, int>)Export(library, "MKL_Set_Num_Threads_Local");
        _sgemm = (delegate* unmanaged<int, int, int, int, int, int, float, float*, int, float*, int, float, float*, int, void>)Export(library, "cblas_sgemm");
        _saxpy = (delegate* unmanaged<int, float, float*, int, float*, int, void>)Export(library, "cblas_saxpy");
        _saxpby = (delegate* unmanaged<int, float, float*, int, float, float*, int, void>)Export(library, "cblas_saxpby");
        _vmsSqr = (delegate* unmanaged<int, float*, float*, ulong, void>)Export(library, "vmsSqr");
        _vmsSqrt = (delegate* unmanaged<int, float*, float*, ulong, void>)Export(library, "vmsSqrt");
        _vmsAbs = (delegate* unmanaged<int, float*, float*, ulong, void>)Export(library, "vmsAbs");
        _vmsFdim = (delegate* unmanaged<int, float*, float*, float*, ulong, void>)Export(library, "vmsFdim");
        _vmsCopySign = (delegate* unmanaged<int, float*, float*, float*, ulong, void>)Export(library, "vmsCopySign");
        _vmsLinearFrac = (delegate* unmanaged<int, float*, float*, float, float, float, float, float*, ulong, void>)Export(library, "vmsLinearFrac");
        _sparseCreateCsr = (delegate* unmanaged<nint*, int, int, int, int*, int*, int*, float*, int>)Export(library, "mkl_sparse_s_create_csr");
        _sparseMm = (delegate* unmanaged<int, float, nint, MatrixDescriptor, int, float*, int, int, float, float*, int, int>)Export(library, "mkl_sparse_s_mm");
        _sparseDestroy = (delegate* unmanaged<nint, int>)Export(library, "mkl_sparse_destroy");

        var setInterface = (delegate* unmanaged<int, int>)Export(library, "MKL_Set_Interface_Layer");
        var setThreading = (delegate* unmanaged<int, int>)Export(library, "MKL_Set_Threading_Layer");
        var version = (delegate* unmanaged<byte*, int, void>)Export(library, "MKL_Get_Version_String");

        // Order matters: both layers are fixed by MKL's first computational call.
        int layer = setInterface(InterfaceLp64);
        if (layer != InterfaceLp64)
        {
            throw new MissingMethodException($"{fileName} runs the ILP64 (64-bit integer) interface; the bindings need LP64.");
        }

        ThreadingLayer = setThreading(ThreadingSequential) switch
        {
            0 => "intel-openmp",
            1 => "sequential",
            2 => "pgi-openmp",
            3 => "gnu-openmp",
            4 => "tbb",
            _ => "unknown",
        };

        byte* text = stackalloc byte[256];
        new Span<byte>(text, 256).Clear();
        version(text, 255);
        Version = Encoding.ASCII.GetString(MemoryMarshal.CreateReadOnlySpanFromNullTerminated(text)).Trim();
    }

    /// <summary>The file name the library was loaded from.</summary>
    internal string FileName { get; }

    /// <summary>MKL's version string.</summary>
    internal string Version { get; }

    /// <summary>The threading layer in effect ("sequential" unless another component initialized MKL first).</summary>
    internal string ThreadingLayer { get; }

    /// <summary>The bound library, or null when it cannot be loaded (<see cref="LoadFailure"/> says why).</summary>
    internal static MklNative? Instance => Loaded.Value;

    /// <summary>Why the library could not be loaded.</summary>
    internal static string LoadFailure => Loaded.Value is null ? _loadFailure : string.Empty;

    /// <summary>File names tried in order, for this operating system: MKL 2020 first, then oneMKL 2021+.</summary>
    internal static IReadOnlyList<string> CandidateFileNames =>
        OperatingSystem.IsWindows() ? ["mkl_rt.dll", "mkl_rt.2.dll", "mkl_rt.1.dll"]
        : OperatingSystem.IsMacOS() ? ["libmkl_rt.dylib", "libmkl_rt.2.dylib"]
        : ["libmkl_rt.so", "libmkl_rt.so.2", "libmkl_rt.so.1"];

    /// <summary>Limits MKL to one thread on the calling thread; costs one thread-static read after the first call.</summary>
    internal void LimitCallingThread()
    {
        if (!_threadLimited)
        {
            _setNumThreadsLocal(1);
            _threadLimited = true;
        }
    }

    /// <summary>cblas_sgemm, row-major: C = alpha op(A) op(B) + beta C.</summary>
    internal void Sgemm(bool transposeA, bool transposeB, int m, int n, int k, float alpha, float* a, int lda, float* b, int ldb, float beta, float* c, int ldc) =>
        _sgemm(CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);

    /// <summary>cblas_saxpy: y = a x + y.</summary>
    internal void Saxpy(int n, float a, float* x, float* y) => _saxpy(n, a, x, 1, y, 1);

    /// <summary>cblas_saxpby: y = a x + b y.</summary>
    internal void Saxpby(int n, float a, float* x, float b, float* y) => _saxpby(n, a, x, 1, b, y, 1);

    /// <summary>vmsSqr: r = a * a.</summary>
    internal void Sqr(int n, float* a, float* r) => _vmsSqr(n, a, r, VmlMode);

    /// <summary>vmsSqrt: r = sqrt(a).</summary>
    internal void Sqrt(int n, float* a, float* r) => _vmsSqrt(n, a, r, VmlMode);

    /// <summary>vmsAbs: r = |a|.</summary>
    internal void Abs(int n, float* a, float* r) => _vmsAbs(n, a, r, VmlMode);

    /// <summary>vmsFdim: r = max(a - b, 0).</summary>
    internal void PositiveDifference(int n, float* a, float* b, float* r) => _vmsFdim(n, a, b, r, VmlMode);

    /// <summary>vmsCopySign: r = |a| with the sign of b.</summary>
    internal void CopySign(int n, float* a, float* b, float* r) => _vmsCopySign(n, a, b, r, VmlMode);

    /// <summary>vmsLinearFrac: r = (scaleA a + shiftA) / (scaleB b + shiftB).</summary>
    internal void LinearFraction(int n, float* a, float* b, float scaleA, float shiftA, float scaleB, float shiftB, float* r) =>
        _vmsLinearFrac(n, a, b, scaleA, shiftA, scaleB, shiftB, r, VmlMode);

    /// <summary>mkl_sparse_s_create_csr with zero-based indices; MKL keeps the pointers, which must outlive the handle.</summary>
    internal nint CreateCsr(int rows, int columns, int* rowStarts, int* rowEnds, int* columnIndices, float* values)
    {
        nint handle;
        Check(_sparseCreateCsr(&handle, SparseIndexBaseZero, rows, columns, rowStarts, rowEnds, columnIndices, values), "mkl_sparse_s_create_csr");
        return handle;
    }

    /// <summary>mkl_sparse_s_mm for a general matrix: C = alpha op(A) B + beta C.</summary>
    internal void SparseTimesDense(bool transpose, nint matrix, int layout, float* b, int columns, int ldb, float* c, int ldc)
    {
        var descriptor = new MatrixDescriptor(SparseMatrixTypeGeneral, 0, 0);
        int operation = transpose ? SparseOperationTranspose : SparseOperationNonTranspose;
        Check(_sparseMm(operation, 1f, matrix, descriptor, layout, b, columns, ldb, 0f, c, ldc), "mkl_sparse_s_mm");
    }

    /// <summary>mkl_sparse_destroy.</summary>
    internal void DestroySparse(nint matrix) => Check(_sparseDestroy(matrix), "mkl_sparse_destroy");

    private static void Check(int status, string function)
    {
        if (status != 0)
        {
            throw new InvalidOperationException($"{function} failed with sparse status {status}.");
        }
    }

    private static nint Export(nint library, string name) =>
        NativeLibrary.TryGetExport(library, name, out nint address)
            ? address
            : throw new MissingMethodException($"the library does not export {name} (MKL 2020 or later is needed).");

    private static MklNative? Load()
    {
        if (!Environment.Is64BitProcess)
        {
            _loadFailure = "MKL needs a 64-bit process.";
            return null;
        }

        var assembly = typeof(MklNative).Assembly;
        foreach (var name in CandidateFileNames)
        {
            if (!NativeLibrary.TryLoad(name, assembly, null, out nint library))
            {
                continue;
            }

            try
            {
                return new MklNative(library, name);
            }
            catch (MissingMethodException e)
            {
                _loadFailure = $"{name} was found but is unusable: {e.Message}";
                return null;
            }
        }

        _loadFailure = $"none of {string.Join(", ", CandidateFileNames)} was found on the library search path.";
        return null;
    }

    /// <summary>mkl_spblas.h's <c>struct matrix_descr</c>, passed by value.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private readonly record struct MatrixDescriptor(int Type, int Mode, int Diagonal);
}
