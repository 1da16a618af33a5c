package ntklc.backend;

import ntklc.activation.PointwiseOp;
import ntklc.tensor.Tensor;

/**
 * The seam between the numerical code and the hardware: the tensor operations a training step of
 * a fully connected network or of VGG19 (docs/theory.md §1.4) needs, on tensors resident on one device.
 * Implemented by {@link CpuBackend} (pure Java, the reference and the fallback) and
 * {@link ntklc.backend.opencl.OpenClBackend} (JOCL); both are checked against the reference
 * classes of {@link ntklc.backend.cpu} by the same parity tests. Pick one with {@link Devices}.
 *
 * <p>One op vocabulary on every device: a method's name written in snake_case is the name of its
 * OpenCL kernel ({@code maxPoolForward} → {@code max_pool_forward} in {@code kernels/max_pool.cl},
 * {@code sgdStep} → {@code sgd_step}, {@code softmaxCrossEntropy} → {@code softmax_cross_entropy}),
 * or the prefix of its kernels when one op takes several passes ({@code batchNormForward} →
 * {@code batch_norm_forward_stats} and {@code batch_norm_forward_apply}); the pointwise ops are
 * named by {@link PointwiseOp#opName()} ({@code relu_forward}, {@code relu_backward}, …); the CPU
 * backend uses the same names in its messages. The exceptions are the matrix products, lowered onto
 * the BLAS-named {@code sgemm} kernel (and, for {@code conv3x3*}, its {@code im2col} helpers).
 *
 * <p>Outputs are passed in, allocated by the caller with {@link #zeros}, and overwritten (Modified)
 * unless a method says it accumulates; inputs are not modified. Shapes follow
 * {@link ntklc.tensor.Tensor}: images {@code N×C×H×W}, matrices {@code rows×cols}. Calls may be
 * queued asynchronously; {@link #download} and the scalar-returning methods wait for the queue.
 */
public interface Backend extends AutoCloseable {
    /** What runs the operations, e.g. {@code cpu (vector-512 GEMM)} or {@code opencl:0 (NVIDIA H100)}. */
    String name();

    /** A device copy of a host tensor. */
    DeviceTensor upload(Tensor host);

    /** A new zero tensor on the device. */
    DeviceTensor zeros(int... shape);

    /** A host copy of a device tensor. */
    Tensor download(DeviceTensor t);

    /**
     * {@code C (+)= op(A)·op(B)} for matrices: {@code op(A): m×k}, {@code op(B): k×n},
     * {@code C: m×n}; {@code transA} means {@code A} is stored {@code k×m}, {@code transB} that
     * {@code B} is stored {@code n×k}.
     */
    void gemm(boolean transA, boolean transB, DeviceTensor a, DeviceTensor b, DeviceTensor c, boolean accumulate);

    /** 3×3/stride-1/pad-1 convolution {@code y = conv(x, w)}; see {@link ntklc.backend.cpu.Conv3x3}. */
    void conv3x3Forward(DeviceTensor x, DeviceTensor w, DeviceTensor y);

    /** {@code dx: N×C×H×W} from {@code dy: N×K×H×W} and {@code w: K×C×3×3}. */
    void conv3x3BackwardData(DeviceTensor dy, DeviceTensor w, DeviceTensor dx);

    /** {@code dw: K×C×3×3} from {@code x: N×C×H×W} and {@code dy: N×K×H×W}. */
    void conv3x3BackwardWeights(DeviceTensor x, DeviceTensor dy, DeviceTensor dw);

    /** 2×2/stride-2 max-pool; {@code window} receives the argmax position; see {@link ntklc.backend.cpu.MaxPool2x2}. */
    void maxPoolForward(DeviceTensor x, DeviceTensor y, DeviceTensor window);

    /** Max-pool backward: {@code dx: N×C×H×W} from {@code dy} and {@code window}. */
    void maxPoolBackward(DeviceTensor dy, DeviceTensor window, DeviceTensor dx);

    /** Training-mode batch norm; {@code mean}, {@code invStd} (length C) are outputs; see {@link ntklc.backend.cpu.BatchNorm2d}. */
    void batchNormForward(DeviceTensor x, DeviceTensor gamma, DeviceTensor beta, float eps,
                          DeviceTensor y, DeviceTensor mean, DeviceTensor invStd);

    /** Batch-norm backward: {@code dx}, {@code dGamma}, {@code dBeta} from {@code dy} and the forward statistics. */
    void batchNormBackward(DeviceTensor dy, DeviceTensor x, DeviceTensor gamma, DeviceTensor mean, DeviceTensor invStd,
                           DeviceTensor dx, DeviceTensor dGamma, DeviceTensor dBeta);

    /** {@code y = σ(x)} element-wise with the float definition of {@code op} ({@code y} may be {@code x}). */
    void pointwiseForward(PointwiseOp op, DeviceTensor x, DeviceTensor y);

    /** {@code dx = σ'(x)·dy} element-wise. */
    void pointwiseBackward(PointwiseOp op, DeviceTensor x, DeviceTensor dy, DeviceTensor dx);

    /** {@code y += α·x} (gradient accumulation, SGD steps); same sizes required. */
    void axpy(float alpha, DeviceTensor x, DeviceTensor y);

    /** {@code y = a ∘ b} element-wise (dropout masks); {@code y} may be {@code a} or {@code b}. */
    void multiply(DeviceTensor a, DeviceTensor b, DeviceTensor y);

    /**
     * One SGD step with momentum and weight decay on one parameter, {@code g ← grad + λ·w},
     * {@code v ← μ·v + g}, {@code w ← w − η·v}; see {@link ntklc.backend.cpu.SgdMomentum}.
     */
    void sgdStep(float lr, float momentum, float weightDecay, DeviceTensor grad, DeviceTensor weight,
                 DeviceTensor velocity);

    /**
     * Batch-norm running averages from the statistics of {@link #batchNormForward} over
     * {@code count} values per channel; see {@link ntklc.backend.cpu.BatchNorm2d#runningUpdate}.
     */
    void batchNormRunningUpdate(DeviceTensor mean, DeviceTensor invStd, float eps, long count, float momentum,
                                DeviceTensor runningMean, DeviceTensor runningVariance);

    /**
     * A view of {@code t} with another shape of the same size, sharing its storage (e.g. the
     * {@code N×C×1×1} output of a convolution body as the {@code N×C} input of a matrix product).
     * The view and {@code t} may be closed in either order; the storage lives until both are.
     */
    DeviceTensor reshape(DeviceTensor t, int... shape);

    /** {@code Σ_i x_i}, accumulated in blocks (float partial sums, added in double on the host). */
    double sum(DeviceTensor x);

    /**
     * Fused softmax cross-entropy: returns the mean loss over the {@code N} rows of
     * {@code logits: N×K} and writes {@code dLogits = (softmax − onehot)/N}; {@code labels} holds the
     * {@code N} class indices as floats; see {@link ntklc.backend.cpu.SoftmaxCrossEntropy}.
     */
    double softmaxCrossEntropy(DeviceTensor logits, DeviceTensor labels, DeviceTensor dLogits);

    /** Waits until every queued operation has finished (for timing). */
    void finish();

    /** Releases the device; tensors of this backend must not be used afterwards. */
    @Override
    void close();
}
