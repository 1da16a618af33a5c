package ntklc.backend.opencl;

import static org.jocl.CL.CL_MEM_COPY_HOST_PTR;
import static org.jocl.CL.CL_MEM_READ_ONLY;
import static org.jocl.CL.CL_MEM_READ_WRITE;
import static org.jocl.CL.CL_TRUE;
import static org.jocl.CL.clCreateBuffer;
import static org.jocl.CL.clCreateKernel;
import static org.jocl.CL.clEnqueueFillBuffer;
import static org.jocl.CL.clEnqueueNDRangeKernel;
import static org.jocl.CL.clEnqueueReadBuffer;
import static org.jocl.CL.clEnqueueWriteBuffer;
import static org.jocl.CL.clFinish;
import static org.jocl.CL.clReleaseKernel;
import static org.jocl.CL.clReleaseMemObject;
import static org.jocl.CL.clRetainMemObject;
import static org.jocl.CL.clSetKernelArg;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_command_queue;
import org.jocl.cl_context;
import org.jocl.cl_kernel;
import org.jocl.cl_mem;
import org.jocl.cl_program;

import ntklc.activation.PointwiseOp;
import ntklc.backend.Backend;
import ntklc.backend.DeviceTensor;
import ntklc.tensor.Tensor;

/**
 * The OpenCL backend (through JOCL): tensors are device buffers, operations are the kernels of the
 * top-level {@code kernels/} folder, loaded from the classpath and built once per device in a JVM
 * (PoCL also keeps compiled programs in its own disk cache). All backends on a device share its one
 * context and in-order queue ({@link ClContext}), which are never released. Each kernel file states what it computes,
 * its index layout and work sizes; the CPU reference of each is named in it and in
 * {@link Backend}. Tuning constants are passed as {@code -D} build options ({@link #gemmOptions}).
 *
 * <p>Operations are enqueued on the device's in-order queue and return at once; {@link #download},
 * {@link #sum} and {@link #softmaxCrossEntropy} wait. Not thread-safe: one backend per thread.
 *
 * <p>NOTE: PoCL's CPU device reports a 1 GiB limit per buffer ({@code POCL_MEMORY_LIMIT} raises
 * it); the im2col scratch buffer is therefore filled {@link #SCRATCH_FLOATS} floats at a time, a
 * chunk of images per GEMM.
 */
public final class OpenClBackend implements Backend {
    /** Largest im2col scratch buffer (floats): 256 MiB. */
    static final long SCRATCH_FLOATS = 64L << 20;

    private final ClDevice device;
    private final cl_context context;
    private final cl_command_queue queue;
    /** The device's context, queue and built programs, shared by every backend on it ({@link ClContext}). */
    private final ClContext shared;
    private final Map<String, cl_kernel> kernels = new HashMap<>();
    private final int rm;
    private final int rn;
    private ClTensor scratch;
    private boolean closed;

    /** A device buffer of {@code size()} floats with a shape. */
    private static final class ClTensor implements DeviceTensor {
        final cl_mem mem;
        final int[] shape;
        final long size;
        final OpenClBackend owner;
        boolean released;

        ClTensor(OpenClBackend owner, cl_mem mem, int[] shape, long size) {
            this.owner = owner;
            this.mem = mem;
            this.shape = shape;
            this.size = size;
        }

        @Override
        public int[] shape() {
            return shape.clone();
        }

        @Override
        public Backend backend() {
            return owner;
        }

        @Override
        public void close() {
            if (!released) {
                released = true;
                clReleaseMemObject(mem);
            }
        }
    }

    private OpenClBackend(ClDevice device) {
        this.device = device;
        shared = ClContext.of(device);
        context = shared.context;
        queue = shared.queue;
        // CPU devices (PoCL): a tall block of C per work-item in one AVX-512 register row each;
        // GPUs: smaller blocks so that more work-items run.
        rm = Integer.getInteger("ntklc.opencl.rm", device.isCpu() ? 8 : 4);
        rn = Integer.getInteger("ntklc.opencl.rn", device.isCpu() ? 16 : 4);
        if (rm < 1 || !(rn == 4 || rn == 8 || rn == 16)) {
            throw new IllegalArgumentException("ntklc.opencl.rm must be ≥ 1 and ntklc.opencl.rn one of 4, 8, 16");
        }
    }

    /**
     * Opens OpenCL device {@code index} of {@link ClDevice#list}.
     *
     * @throws IllegalStateException if there is no such device (message says why)
     */
    public static OpenClBackend open(int index) {
        String[] why = new String[1];
        List<ClDevice> devices = ClDevice.list(why);
        if (devices.isEmpty()) {
            throw new IllegalStateException(why[0]);
        }
        if (index < 0 || index >= devices.size()) {
            throw new IllegalStateException("no OpenCL device " + index + " (there are " + devices.size() + ")");
        }
        return new OpenClBackend(devices.get(index));
    }

    /** The device this backend runs on. */
    public ClDevice device() {
        return device;
    }

    @Override
    public String name() {
        return device.describe();
    }

    /**
     * Build options of {@code sgemm.cl}: the register block {@code RM×RN} of C per work-item
     * (defaults 8×16 on CPU devices, 4×4 on GPUs; system properties {@code ntklc.opencl.rm} and
     * {@code ntklc.opencl.rn} override them for tuning).
     */
    String gemmOptions() {
        return "-D RM=" + rm + " -D RN=" + rn;
    }

    // ---------------------------------------------------------------- buffers

    private static long elementCount(int[] shape) {
        long size = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in " + Arrays.toString(shape));
            }
            size *= d;
        }
        return size;
    }

    private ClTensor alloc(int... shape) {
        long size = elementCount(shape);
        long bytes = Math.max(1, size) * Sizeof.cl_float;
        if (bytes > device.maxAllocBytes()) {
            throw new IllegalArgumentException("a tensor of shape " + Arrays.toString(shape) + " needs " + (bytes >> 20)
                    + " MiB, more than the " + (device.maxAllocBytes() >> 20) + " MiB one buffer may take on " + device.name()
                    + " (on PoCL, raise it with POCL_MEMORY_LIMIT=<GiB>)");
        }
        cl_mem mem = clCreateBuffer(context, CL_MEM_READ_WRITE, bytes, null, null);
        return new ClTensor(this, mem, shape.clone(), size);
    }

    @Override
    public DeviceTensor upload(Tensor host) {
        ClTensor t = alloc(host.shape());
        if (t.size > 0) {
            clEnqueueWriteBuffer(queue, t.mem, CL_TRUE, 0, t.size * Sizeof.cl_float, Pointer.to(host.data()), 0, null, null);
        }
        return t;
    }

    @Override
    public DeviceTensor zeros(int... shape) {
        ClTensor t = alloc(shape);
        if (t.size > 0) {
            clEnqueueFillBuffer(queue, t.mem, Pointer.to(new float[] {0f}), Sizeof.cl_float, 0, t.size * Sizeof.cl_float,
                    0, null, null);
        }
        return t;
    }

    @Override
    public Tensor download(DeviceTensor t) {
        ClTensor c = cl(t);
        Tensor host = Tensor.zeros(c.shape);
        if (c.size > 0) {
            clEnqueueReadBuffer(queue, c.mem, CL_TRUE, 0, c.size * Sizeof.cl_float, Pointer.to(host.data()), 0, null, null);
        }
        return host;
    }

    private ClTensor cl(DeviceTensor t) {
        if (!(t instanceof ClTensor c) || c.owner != this) {
            throw new IllegalArgumentException("tensor " + t.shapeString() + " does not belong to " + name());
        }
        if (c.released) {
            throw new IllegalStateException("tensor " + t.shapeString() + " was closed");
        }
        return c;
    }

    /** A scratch buffer of at least {@code floats} floats, reused across calls. */
    private ClTensor scratch(long floats) {
        if (scratch == null || scratch.size < floats) {
            if (scratch != null) {
                scratch.close();
            }
            scratch = alloc((int) floats);
        }
        return scratch;
    }

    // ---------------------------------------------------------------- kernels

    /** The kernel {@code name} of {@code kernels/<file>}, built with {@code options} (cached). */
    private cl_kernel kernel(String file, String options, String name) {
        String key = file + "|" + options + "|" + name;
        cl_kernel k = kernels.get(key);
        if (k == null) {
            cl_program program = shared.program(file, options);
            k = clCreateKernel(program, name, null);
            kernels.put(key, k);
        }
        return k;
    }

    /**
     * Work-group width along dimension 0 on CPU devices. PoCL compiles a kernel once per distinct
     * local size; letting it choose ({@code NULL}) produced ~100 variants in the parity tests (45 s
     * of compiling on a cold cache), so on CPU devices every launch without an explicit local size
     * uses {@code (CPU_GROUP, 1, 1)} and rounds the global size up to it (all kernels guard their
     * indices). GPU drivers compile once per kernel and pick their own local size.
     */
    static final int CPU_GROUP = 8;

    /** Sets the arguments (Integer, Float or ClTensor) and enqueues {@code k} over {@code global}. */
    private void run(cl_kernel k, long[] global, long[] local, Object... args) {
        for (long g : global) {
            if (g == 0) {
                return;
            }
        }
        if (local == null && device.isCpu()) {
            global = global.clone();
            global[0] = up(global[0], CPU_GROUP);
            local = new long[global.length];
            Arrays.fill(local, 1);
            local[0] = CPU_GROUP;
        }
        for (int i = 0; i < args.length; i++) {
            Object a = args[i];
            if (a instanceof Integer v) {
                clSetKernelArg(k, i, Sizeof.cl_int, Pointer.to(new int[] {v}));
            } else if (a instanceof Float v) {
                clSetKernelArg(k, i, Sizeof.cl_float, Pointer.to(new float[] {v}));
            } else if (a instanceof ClTensor t) {
                clSetKernelArg(k, i, Sizeof.cl_mem, Pointer.to(t.mem));
            } else if (a instanceof cl_mem m) {
                clSetKernelArg(k, i, Sizeof.cl_mem, Pointer.to(m));
            } else {
                throw new IllegalArgumentException("kernel argument of type " + a.getClass());
            }
        }
        clEnqueueNDRangeKernel(queue, k, global.length, null, global, local, 0, null, null);
    }

    private static long up(long x, long multiple) {
        return (x + multiple - 1) / multiple * multiple;
    }

    /**
     * {@code kernels/popcount.cl}: the counts {@code C[s, j] = Σ_w popcount(P[j,w] ∧ H[s,w]) −
     * popcount(M[j,w] ∧ H[s,w])} of a ternary matrix against binary inputs, with the layout of its
     * CPU reference {@code ntklc.compression.packed.PopcountKernel#counts} (same arguments; {@code minus}
     * null for a matrix without zeros). Host arrays in, host array out; waits.
     *
     * @return {@code C}, {@code n×dOut} row-major
     */
    public int[] ternaryCounts(long[] h, int n, long[] plus, long[] minus, int dOut, int words) {
        if (h.length != (long) n * words || plus.length != (long) dOut * words || (minus != null && minus.length != plus.length)) {
            throw new IllegalArgumentException("ternaryCounts: inconsistent buffer lengths");
        }
        int[] c = new int[n * dOut];
        if (c.length == 0 || words == 0) {
            return c;
        }
        cl_mem hm = readOnly(h);
        cl_mem pm = readOnly(plus);
        cl_mem mm = minus == null ? pm : readOnly(minus);
        cl_mem cm = clCreateBuffer(context, CL_MEM_READ_WRITE, (long) c.length * Sizeof.cl_int, null, null);
        try {
            run(kernel("popcount.cl", "", "ternary_counts"), new long[] {dOut, n}, null, n, dOut, words,
                    minus == null ? 1 : 0, hm, pm, mm, cm);
            clEnqueueReadBuffer(queue, cm, CL_TRUE, 0, (long) c.length * Sizeof.cl_int, Pointer.to(c), 0, null, null);
        } finally {
            clReleaseMemObject(hm);
            clReleaseMemObject(pm);
            if (mm != pm) {
                clReleaseMemObject(mm);
            }
            clReleaseMemObject(cm);
        }
        return c;
    }

    private cl_mem readOnly(long[] data) {
        long bytes = (long) data.length * Sizeof.cl_long;
        if (bytes > device.maxAllocBytes()) {
            throw new IllegalArgumentException(bytes + " bytes exceed the largest buffer of " + device.name());
        }
        return clCreateBuffer(context, CL_MEM_READ_ONLY | CL_MEM_COPY_HOST_PTR, bytes, Pointer.to(data), null);
    }

    /**
     * One call of {@code sgemm.cl}: {@code C_z = beta·C_z + Σ_q A_{z,q}·B_{z,q}} (see the kernel
     * file for the offsets and strides).
     */
    private void sgemm(int m, int n, int k, int batchOuter, int batchInner,
                       ClTensor a, int offA, int lda, int strideAOuter, int strideAInner,
                       ClTensor b, int offB, int ldb, int strideBOuter, int strideBInner,
                       ClTensor c, int offC, int ldc, int strideCOuter, float beta) {
        run(kernel("sgemm.cl", gemmOptions(), "sgemm"),
                new long[] {(n + rn - 1) / rn, (m + rm - 1) / rm, batchOuter}, null,
                m, n, k, batchInner, a, offA, lda, strideAOuter, strideAInner,
                b, offB, ldb, strideBOuter, strideBInner, c, offC, ldc, strideCOuter, beta);
    }

    private ClTensor transposed(ClTensor x) {
        int rows = x.shape[0];
        int cols = x.shape[1];
        ClTensor t = alloc(cols, rows);
        run(kernel("sgemm.cl", gemmOptions(), "transpose"), new long[] {cols, rows}, null, rows, cols, x, t);
        return t;
    }

    // ---------------------------------------------------------------- operations

    @Override
    public void gemm(boolean transA, boolean transB, DeviceTensor a, DeviceTensor b, DeviceTensor c, boolean accumulate) {
        ClTensor ca = cl(a);
        ClTensor cb = cl(b);
        ClTensor cc = cl(c);
        int m = transA ? ca.shape[1] : ca.shape[0];
        int k = transA ? ca.shape[0] : ca.shape[1];
        int n = transB ? cb.shape[0] : cb.shape[1];
        int kb = transB ? cb.shape[1] : cb.shape[0];
        if (ca.shape.length != 2 || cb.shape.length != 2 || cc.shape.length != 2 || k != kb
                || cc.shape[0] != m || cc.shape[1] != n) {
            throw new IllegalArgumentException("gemm: shapes " + a.shapeString() + (transA ? "ᵀ" : "") + " · "
                    + b.shapeString() + (transB ? "ᵀ" : "") + " → " + c.shapeString() + " do not fit");
        }
        // NOTE: transposed operands are copied once (O(n²)) so that one NN kernel serves all four cases.
        ClTensor aa = transA ? transposed(ca) : ca;
        ClTensor bb = transB ? transposed(cb) : cb;
        if (k == 0) {
            if (!accumulate) {
                fillZero(cc);
            }
        } else {
            sgemm(m, n, k, 1, 1, aa, 0, k, 0, 0, bb, 0, n, 0, 0, cc, 0, n, 0, accumulate ? 1f : 0f);
        }
        if (transA) {
            aa.close();
        }
        if (transB) {
            bb.close();
        }
    }

    private void fillZero(ClTensor t) {
        if (t.size > 0) {
            clEnqueueFillBuffer(queue, t.mem, Pointer.to(new float[] {0f}), Sizeof.cl_float, 0, t.size * Sizeof.cl_float,
                    0, null, null);
        }
    }

    private static void requireConv(ClTensor x, ClTensor w, ClTensor y) {
        if (x.shape.length != 4 || w.shape.length != 4 || y.shape.length != 4 || w.shape[1] != x.shape[1]
                || w.shape[2] != 3 || w.shape[3] != 3 || y.shape[0] != x.shape[0] || y.shape[1] != w.shape[0]
                || y.shape[2] != x.shape[2] || y.shape[3] != x.shape[3]) {
            throw new IllegalArgumentException("conv3x3: shapes x " + Arrays.toString(x.shape) + ", w "
                    + Arrays.toString(w.shape) + ", y " + Arrays.toString(y.shape) + " do not fit");
        }
    }

    /** Images per im2col chunk so that the scratch buffer stays under {@link #SCRATCH_FLOATS}. */
    private int chunk(int n, long perImage) {
        long limit = Math.min(SCRATCH_FLOATS, device.maxAllocBytes() / Sizeof.cl_float);
        return (int) Math.max(1, Math.min(n, limit / Math.max(1, perImage)));
    }

    @Override
    public void conv3x3Forward(DeviceTensor x, DeviceTensor w, DeviceTensor y) {
        ClTensor cx = cl(x);
        ClTensor cw = cl(w);
        ClTensor cy = cl(y);
        requireConv(cx, cw, cy);
        convForward(cx, cw, cy);
    }

    private void convForward(ClTensor x, ClTensor w, ClTensor y) {
        int n = x.shape[0];
        int c = x.shape[1];
        int h = x.shape[2];
        int wd = x.shape[3];
        int k = w.shape[0];
        int hw = h * wd;
        int c9 = c * 9;
        int per = chunk(n, (long) c9 * hw);
        ClTensor col = scratch((long) per * c9 * hw);
        for (int n0 = 0; n0 < n; n0 += per) {
            int count = Math.min(per, n - n0);
            run(kernel("conv3x3.cl", "", "im2col"), new long[] {hw, c9, count}, null, c, h, wd, n0, x, col);
            // y_n = w · col_n :  (K × C9) · (C9 × HW), one outer batch entry per image.
            sgemm(k, hw, c9, count, 1, w, 0, c9, 0, 0, col, 0, hw, c9 * hw, 0, y, n0 * k * hw, hw, k * hw, 0f);
        }
    }

    @Override
    public void conv3x3BackwardData(DeviceTensor dy, DeviceTensor w, DeviceTensor dx) {
        ClTensor cdy = cl(dy);
        ClTensor cw = cl(w);
        ClTensor cdx = cl(dx);
        int k = cw.shape[0];
        int c = cw.shape[1];
        ClTensor flipped = alloc(c, k, 3, 3);
        requireConv(cdy, flipped, cdx);
        run(kernel("conv3x3.cl", "", "flip_weights"), new long[] {9, c, k}, null, k, c, cw, flipped);
        convForward(cdy, flipped, cdx);
        flipped.close();
    }

    @Override
    public void conv3x3BackwardWeights(DeviceTensor x, DeviceTensor dy, DeviceTensor dw) {
        ClTensor cx = cl(x);
        ClTensor cdy = cl(dy);
        ClTensor cdw = cl(dw);
        requireConv(cx, cdw, cdy);
        int n = cx.shape[0];
        int c = cx.shape[1];
        int h = cx.shape[2];
        int wd = cx.shape[3];
        int k = cdw.shape[0];
        int hw = h * wd;
        int c9 = c * 9;
        int per = chunk(n, (long) c9 * hw);
        ClTensor colT = scratch((long) per * c9 * hw);
        for (int n0 = 0; n0 < n; n0 += per) {
            int count = Math.min(per, n - n0);
            run(kernel("conv3x3.cl", "", "im2col_t"), new long[] {c9, hw, count}, null, c, h, wd, n0, cx, colT);
            // dw (+)= Σ_n dy_n · colT_n :  (K × HW) · (HW × C9), summed inside the kernel over the chunk.
            sgemm(k, c9, hw, 1, count, cdy, n0 * k * hw, hw, 0, k * hw, colT, 0, c9, 0, hw * c9,
                    cdw, 0, c9, 0, n0 == 0 ? 0f : 1f);
        }
    }

    @Override
    public void maxPoolForward(DeviceTensor x, DeviceTensor y, DeviceTensor window) {
        ClTensor cx = cl(x);
        ClTensor cy = cl(y);
        ClTensor cwin = cl(window);
        int planes = cx.shape[0] * cx.shape[1];
        int h = cx.shape[2];
        int wd = cx.shape[3];
        if (cy.size != (long) planes * (h / 2) * (wd / 2) || cwin.size != cy.size) {
            throw new IllegalArgumentException("maxpool: output " + y.shapeString() + " does not fit " + x.shapeString());
        }
        run(kernel("max_pool.cl", "", "max_pool_forward"), new long[] {wd / 2, h / 2, planes}, null, h, wd, cx, cy, cwin);
    }

    @Override
    public void maxPoolBackward(DeviceTensor dy, DeviceTensor window, DeviceTensor dx) {
        ClTensor cdx = cl(dx);
        int planes = cdx.shape[0] * cdx.shape[1];
        int h = cdx.shape[2];
        int wd = cdx.shape[3];
        if (cl(dy).size != (long) planes * (h / 2) * (wd / 2)) {
            throw new IllegalArgumentException("maxpool backward: dy " + dy.shapeString() + " does not fit " + dx.shapeString());
        }
        run(kernel("max_pool.cl", "", "max_pool_backward"), new long[] {wd, h, planes}, null, h, wd, cl(dy), cl(window), cdx);
    }

    private static final int LS = 64;

    private static String lsOption() {
        return "-D LS=" + LS + " -D CHUNK=" + CHUNK;
    }

    @Override
    public void batchNormForward(DeviceTensor x, DeviceTensor gamma, DeviceTensor beta, float eps,
                                 DeviceTensor y, DeviceTensor mean, DeviceTensor invStd) {
        ClTensor cx = cl(x);
        int n = cx.shape[0];
        int c = cx.shape[1];
        int hw = cx.shape[2] * cx.shape[3];
        run(kernel("batch_norm.cl", lsOption(), "batch_norm_forward_stats"), new long[] {(long) c * LS}, new long[] {LS},
                n, c, hw, eps, cx, cl(mean), cl(invStd));
        run(kernel("batch_norm.cl", lsOption(), "batch_norm_forward_apply"), new long[] {hw, c, n}, null,
                c, hw, cx, cl(gamma), cl(beta), cl(mean), cl(invStd), cl(y));
    }

    @Override
    public void batchNormBackward(DeviceTensor dy, DeviceTensor x, DeviceTensor gamma, DeviceTensor mean,
                                  DeviceTensor invStd, DeviceTensor dx, DeviceTensor dGamma, DeviceTensor dBeta) {
        ClTensor cx = cl(x);
        int n = cx.shape[0];
        int c = cx.shape[1];
        int hw = cx.shape[2] * cx.shape[3];
        run(kernel("batch_norm.cl", lsOption(), "batch_norm_backward_reduce"), new long[] {(long) c * LS}, new long[] {LS},
                n, c, hw, cl(dy), cx, cl(mean), cl(invStd), cl(dGamma), cl(dBeta));
        run(kernel("batch_norm.cl", lsOption(), "batch_norm_backward_apply"), new long[] {hw, c, n}, null,
                n, c, hw, cl(dy), cx, cl(gamma), cl(mean), cl(invStd), cl(dGamma), cl(dBeta), cl(dx));
    }

    private static int elements(ClTensor a, ClTensor b, String op) {
        if (a.size != b.size) {
            throw new IllegalArgumentException(op + ": sizes differ, " + Arrays.toString(a.shape) + " vs " + Arrays.toString(b.shape));
        }
        return (int) a.size;
    }

    @Override
    public void pointwiseForward(PointwiseOp op, DeviceTensor x, DeviceTensor y) {
        int n = elements(cl(x), cl(y), op.opName() + "_forward");
        run(kernel("elementwise.cl", lsOption(), op.opName() + "_forward"), new long[] {up(n, LS)}, null, n, cl(x), cl(y));
    }

    @Override
    public void pointwiseBackward(PointwiseOp op, DeviceTensor x, DeviceTensor dy, DeviceTensor dx) {
        int n = elements(cl(x), cl(dy), op.opName() + "_backward");
        elements(cl(x), cl(dx), op.opName() + "_backward");
        run(kernel("elementwise.cl", lsOption(), op.opName() + "_backward"), new long[] {up(n, LS)}, null,
                n, cl(x), cl(dy), cl(dx));
    }

    @Override
    public void axpy(float alpha, DeviceTensor x, DeviceTensor y) {
        int n = elements(cl(x), cl(y), "axpy");
        run(kernel("elementwise.cl", lsOption(), "axpy"), new long[] {up(n, LS)}, null, n, alpha, cl(x), cl(y));
    }

    @Override
    public void multiply(DeviceTensor a, DeviceTensor b, DeviceTensor y) {
        int n = elements(cl(a), cl(b), "multiply");
        elements(cl(a), cl(y), "multiply");
        run(kernel("elementwise.cl", lsOption(), "multiply"), new long[] {up(n, LS)}, null, n, cl(a), cl(b), cl(y));
    }

    @Override
    public void sgdStep(float lr, float momentum, float weightDecay, DeviceTensor grad, DeviceTensor weight,
                        DeviceTensor velocity) {
        int n = elements(cl(grad), cl(weight), "sgd_step");
        elements(cl(weight), cl(velocity), "sgd_step");
        run(kernel("elementwise.cl", lsOption(), "sgd_step"), new long[] {up(n, LS)}, null,
                n, lr, momentum, weightDecay, cl(grad), cl(weight), cl(velocity));
    }

    @Override
    public void batchNormRunningUpdate(DeviceTensor mean, DeviceTensor invStd, float eps, long count, float momentum,
                                       DeviceTensor runningMean, DeviceTensor runningVariance) {
        int c = elements(cl(mean), cl(runningMean), "batch-norm running update");
        elements(cl(invStd), cl(runningVariance), "batch-norm running update");
        elements(cl(mean), cl(invStd), "batch-norm running update");
        if (count < 2) {
            throw new IllegalArgumentException("batch-norm running update needs at least 2 values per channel");
        }
        float unbias = (float) ((double) count / (count - 1));
        run(kernel("batch_norm.cl", lsOption(), "batch_norm_running_update"), new long[] {up(c, LS)}, null,
                c, eps, unbias, momentum, cl(mean), cl(invStd), cl(runningMean), cl(runningVariance));
    }

    @Override
    public DeviceTensor reshape(DeviceTensor t, int... shape) {
        ClTensor c = cl(t);
        long size = elementCount(shape);
        if (size != c.size) {
            throw new IllegalArgumentException("reshape " + Arrays.toString(c.shape) + " to " + Arrays.toString(shape)
                    + ": sizes differ");
        }
        clRetainMemObject(c.mem);
        return new ClTensor(this, c.mem, shape.clone(), size);
    }

    private static final int CHUNK = 64;

    @Override
    public double sum(DeviceTensor x) {
        ClTensor cx = cl(x);
        int n = (int) cx.size;
        int blocks = (int) Math.max(1, (n + (long) LS * CHUNK - 1) / ((long) LS * CHUNK));
        ClTensor partial = alloc(blocks);
        run(kernel("elementwise.cl", lsOption(), "sum"), new long[] {(long) blocks * LS},
                new long[] {LS}, n, cx, partial);
        float[] p = download(partial).data();
        partial.close();
        double s = 0;
        for (float v : p) {
            s += v;
        }
        return s;
    }

    @Override
    public double softmaxCrossEntropy(DeviceTensor logits, DeviceTensor labels, DeviceTensor dLogits) {
        ClTensor z = cl(logits);
        int n = z.shape[0];
        int k = z.shape[1];
        if (cl(labels).size != n || cl(dLogits).size != z.size) {
            throw new IllegalArgumentException("softmax cross-entropy: labels " + labels.shapeString() + " or gradient "
                    + dLogits.shapeString() + " do not fit logits " + logits.shapeString());
        }
        ClTensor loss = alloc(n);
        run(kernel("softmax_cross_entropy.cl", "", "softmax_cross_entropy"), new long[] {n}, null, n, k, z, cl(labels), loss, cl(dLogits));
        float[] l = download(loss).data();
        loss.close();
        double s = 0;
        for (float v : l) {
            s += v;
        }
        return s / n;
    }

    @Override
    public void finish() {
        clFinish(queue);
    }

    /**
     * Waits for the queue, then releases this backend's scratch buffer and kernel objects. The
     * device's context, queue and programs stay alive for the JVM's life ({@link ClContext}: one
     * context per device, never released), ready for the next backend on the device.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        // Drain the queue before releasing: releasing kernels or buffers that queued work still uses
        // is undefined behaviour in some drivers.
        clFinish(queue);
        if (scratch != null) {
            scratch.close();
        }
        kernels.values().forEach(k -> clReleaseKernel(k));
        kernels.clear();
    }
}
