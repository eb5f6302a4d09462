namespace MLNet.Adam.Kernels;

/// <summary>Which implementation runs the update step and the gradient.</summary>
public enum KernelBackend
{
    /// <summary>Choose per kernel by the documented rule (managed unless MKL is measured faster for that kernel on this CPU).</summary>
    Auto,

    /// <summary>Managed SIMD kernels (Vector512/256/128), always available.</summary>
    Managed,

    /// <summary>Intel MKL through P/Invoke; fails with instructions when MKL cannot be loaded.</summary>
    Mkl,
}
