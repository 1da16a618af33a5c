/**
 * The backend seam: {@link ntklc.backend.Backend} lists the tensor operations of a training step
 * (GEMM, 3×3 convolution, max-pool, batch norm, activations, reductions, fused softmax
 * cross-entropy — docs/theory.md §1.4, §8.5 R8) on device-resident {@link ntklc.backend.DeviceTensor}s.
 * {@link ntklc.backend.CpuBackend} is the pure-Java reference and fallback,
 * {@link ntklc.backend.opencl.OpenClBackend} runs the {@code kernels/*.cl} files through JOCL, and
 * {@link ntklc.backend.Devices} turns {@code --device=auto|cpu|opencl[:N]} into one of them.
 */
package ntklc.backend;
