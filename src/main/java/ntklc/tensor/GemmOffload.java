package ntklc.tensor;

/**
 * A device that can take matrix products off the CPU: installed in {@link MatMul} by
 * {@code ntklc.backend.Devices} when {@code --device} selects an OpenCL device or {@code auto}
 * measured one to be faster for large products. {@link MatMul#gemm} asks {@link #wants} for every
 * whole-machine product and runs the ones it wants here, the rest on the CPU kernel: the choice is
 * made per operation.
 */
public interface GemmOffload {
    /** Whether the product of {@code op(A): m×k} and {@code op(B): k×n} should run on the device. */
    boolean wants(int m, int n, int k);

    /** {@code C (+)= op(A)·op(B)} with the operands and layout of {@link MatMul#gemm(boolean, boolean, int, int, int, float[], int, float[], int, float[], int, boolean, boolean)}. */
    void gemm(boolean transA, boolean transB, int m, int n, int k, float[] a, int aOff, float[] b, int bOff,
              float[] c, int cOff, boolean accumulate);

    /** What runs the offloaded products, for logs. */
    String describe();
}
