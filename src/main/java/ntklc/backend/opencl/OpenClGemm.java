package ntklc.backend.opencl;

import java.util.Arrays;

import ntklc.backend.DeviceTensor;
import ntklc.tensor.GemmOffload;
import ntklc.tensor.Tensor;

/**
 * Matrix products of {@link ntklc.tensor.MatMul} run on an OpenCL device: the operands go up, the
 * {@code sgemm} kernel runs, {@code C} comes down. Used for products of at least
 * {@code minMultiplyAdds} multiply-adds, a threshold that {@code ntklc.backend.Devices} measures
 * (or sets low when the user asks for OpenCL explicitly). Calls are serialised: one command queue.
 */
public final class OpenClGemm implements GemmOffload {
    private final OpenClBackend backend;
    private final long minMultiplyAdds;

    /**
     * @param backend         the device (not closed here)
     * @param minMultiplyAdds smallest {@code m·n·k} sent to the device
     */
    public OpenClGemm(OpenClBackend backend, long minMultiplyAdds) {
        this.backend = backend;
        this.minMultiplyAdds = minMultiplyAdds;
    }

    @Override
    public boolean wants(int m, int n, int k) {
        return (long) m * n * k >= minMultiplyAdds;
    }

    @Override
    public synchronized void gemm(boolean transA, boolean transB, int m, int n, int k, float[] a, int aOff,
                                  float[] b, int bOff, float[] c, int cOff, boolean accumulate) {
        Tensor ha = Tensor.wrap(Arrays.copyOfRange(a, aOff, aOff + m * k), transA ? new int[] {k, m} : new int[] {m, k});
        Tensor hb = Tensor.wrap(Arrays.copyOfRange(b, bOff, bOff + k * n), transB ? new int[] {n, k} : new int[] {k, n});
        try (DeviceTensor da = backend.upload(ha); DeviceTensor db = backend.upload(hb);
             DeviceTensor dc = accumulate ? backend.upload(Tensor.wrap(Arrays.copyOfRange(c, cOff, cOff + m * n), m, n))
                     : backend.zeros(m, n)) {
            backend.gemm(transA, transB, da, db, dc, accumulate);
            System.arraycopy(backend.download(dc).data(), 0, c, cOff, m * n);
        }
    }

    @Override
    public String describe() {
        return backend.name() + (minMultiplyAdds <= 1 ? "" : " for products of ≥ " + minMultiplyAdds + " multiply-adds");
    }
}
