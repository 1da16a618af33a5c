package ntklc.tensor;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * Single-precision matrix multiply on the CPU: {@code C (+)= op(A)·op(B)}, the GEMM every other
 * backend is checked against and every CPU convolution is built on.
 *
 * <p>Shapes: {@code op(A): m×k}, {@code op(B): k×n}, {@code C: m×n}, all row-major;
 * {@code op(X)} is {@code X} or {@code Xᵀ}. Internally an operand is a strided view: element
 * {@code (i, j)} of {@code op(A)} is {@code a[aOff + i·aRs + j·aCs]}, so a transpose is only a swap
 * of the two strides and costs nothing.
 *
 * <p>Numbered variants implement the same contract, in the manner of llm.c (one reference kernel,
 * numbered fast kernels checked against it and benchmarked together: {@link #variants()}, the
 * parity test {@code MatMulTest} and {@code bench --op=gemm} iterate over all of them):
 * <ul>
 *   <li>{@code gemm0} {@link ReferenceGemm}: the definition, each sum in double; the reference.</li>
 *   <li>{@code gemm1} {@link ScalarGemm}: plain loops the JIT auto-vectorises; used without the
 *       Vector API module, which is announced once through {@link Notices}.</li>
 *   <li>{@code gemm2}, {@code gemm3} {@link VectorGemm}: BLAS-style packing and register tiling
 *       with the incubating Vector API ({@code jdk.incubator.vector}), 8-row and 6-row register
 *       tiles; used when that module is present ({@code java --add-modules jdk.incubator.vector}),
 *       the one whose tile {@link GemmTiles} picks for this CPU.</li>
 * </ul>
 * The double-precision {@code ntklc.linalg.Gemm} (eigensolver) and the OpenCL {@code sgemm.cl}
 * are the other two GEMMs of the project; the latter is checked against this class. All CPU
 * kernels split a product over the cores by the one rule {@link #splitAcrossCores}.
 * The system property {@code ntklc.vector=false} forces the scalar kernel.
 */
public final class MatMul {
    /** The computational core shared by both kernels: {@code C += op(A)·op(B)} on strided views. */
    public interface Kernel {
        /** The variant's number, {@code gemm0} (the reference), {@code gemm1}, … */
        String name();

        /** Short description for logs and benchmarks, e.g. {@code vector-512 (8×32 register tile)}. */
        String description();

        /**
         * {@code C += op(A)·op(B)}. {@code C} is Modified; {@code A}, {@code B} are not.
         *
         * @param parallel whether the kernel may split the work over {@link Parallel#threads()} cores
         */
        void multiplyAdd(int m, int n, int k,
                         float[] a, int aOff, int aRs, int aCs,
                         float[] b, int bOff, int bRs, int bCs,
                         float[] c, int cOff, int ldc, boolean parallel);

        /**
         * {@code C += op(A)·B} with {@code B: k×n} supplied panel by panel ({@link PanelSource});
         * arguments otherwise as {@link #multiplyAdd}. This default asks the source for all of
         * {@code B} as one panel {@code n} wide, i.e. row-major, and multiplies that; the packed
         * kernel instead packs each block straight from the source, skipping the copy.
         */
        default void multiplyAdd(int m, int n, int k, float[] a, int aOff, int aRs, int aCs,
                                 PanelSource b, float[] c, int cOff, int ldc, boolean parallel) {
            float[] rows = new float[k * n];
            b.pack(0, k, 0, n, n, rows);
            multiplyAdd(m, n, k, a, aOff, aRs, aCs, rows, 0, n, 1, c, cOff, ldc, parallel);
        }
    }

    /**
     * The right operand {@code B: k×n} of a product, given not as an array but as a procedure
     * that writes any block of it in the packed layout of the GEMM kernels, so that an operand
     * built on the fly (the im2col matrix of a convolution) is written once, straight into the
     * panels the micro-kernel reads, instead of being built and then packed.
     */
    @FunctionalInterface
    public interface PanelSource {
        /**
         * Writes the block {@code B[pc : pc+kc, jc : jc+nc]} as panels {@code nr} columns wide:
         * {@code panels[q·nr·kc + p·nr + j] = B[pc + p, jc + q·nr + j]} for {@code 0 ≤ p < kc},
         * {@code 0 ≤ q < ⌈nc/nr⌉}, {@code 0 ≤ j < nr}, and {@code 0} where {@code q·nr + j ≥ nc}.
         * Called from several threads at once (on distinct {@code panels}); must not keep state.
         *
         * @param panels Modified: the entries above
         */
        void pack(int pc, int kc, int jc, int nc, int nr, float[] panels);
    }

    /**
     * Products below this many flops ({@code 2·m·n·k}) run on the calling thread: splitting them
     * costs more in scheduling than it saves (about a millisecond of work on one core).
     */
    public static final double PARALLEL_MIN_FLOPS = 4e6;

    private static volatile Kernel kernel = chooseKernel();
    private static volatile GemmOffload offload;

    private MatMul() {
    }

    private static Kernel chooseKernel() {
        boolean wanted = !"false".equals(System.getProperty("ntklc.vector"));
        Kernel vector = wanted ? vectorKernel() : null;
        if (vector != null) {
            return vector;
        }
        Notices.once(wanted
                ? "note: the Vector API is not enabled, so matrix multiply runs on the slower scalar path;"
                        + " run java with --add-modules jdk.incubator.vector"
                : "note: -Dntklc.vector=false, matrix multiply runs on the scalar path");
        return new ScalarGemm();
    }

    /**
     * The Vector API kernel with this CPU's tiles, or {@code null} when {@code jdk.incubator.vector}
     * is not in the boot layer. Loaded reflectively so that this class links without the module.
     */
    static Kernel vectorKernel() {
        if (!vectorModulePresent()) {
            return null;
        }
        try {
            return (Kernel) Class.forName("ntklc.tensor.VectorGemm").getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError e) {
            return null;
        }
    }

    private static boolean vectorModulePresent() {
        return ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    }

    /**
     * The single rule by which every CPU GEMM (this class's kernels and {@code ntklc.linalg.Gemm})
     * decides to split a product {@code m×k · k×n} over the cores: more than one core, and at least
     * {@link #PARALLEL_MIN_FLOPS} flops.
     */
    public static boolean splitAcrossCores(long m, long n, long k) {
        return Parallel.threads() > 1 && 2.0 * m * n * k >= PARALLEL_MIN_FLOPS;
    }

    /**
     * Every GEMM variant, reference first: {@code gemm0} reference, {@code gemm1} scalar and, when
     * the Vector API module is present, {@code gemm2} and {@code gemm3} (8- and 6-row tiles, with
     * this CPU's cache blocking). For parity tests and benchmarks.
     */
    public static List<Kernel> variants() {
        List<Kernel> out = new ArrayList<>(List.of(new ReferenceGemm(), new ScalarGemm()));
        if (vectorModulePresent()) {
            try {
                @SuppressWarnings("unchecked")
                List<Kernel> vector = (List<Kernel>) Class.forName("ntklc.tensor.VectorGemm").getDeclaredMethod("variants").invoke(null);
                out.addAll(vector);
            } catch (ReflectiveOperationException | LinkageError e) {
                // Without a loadable Vector API kernel the list holds the two portable variants.
            }
        }
        return out;
    }

    /** The kernel in use (one of {@link #variants()}, with this CPU's tiles). */
    public static Kernel kernel() {
        return kernel;
    }

    /** The CPU model, its caches and the GEMM tiles in use, one line for {@code bench}. */
    public static String tilesDescription() {
        String tiles;
        if (vectorModulePresent()) {
            try {
                tiles = (String) Class.forName("ntklc.tensor.VectorGemm").getDeclaredMethod("describeTiles").invoke(null);
            } catch (ReflectiveOperationException | LinkageError e) {
                tiles = "scalar kernel";
            }
        } else {
            tiles = "scalar kernel";
        }
        return CpuCaches.current().describe() + "; " + tiles;
    }

    /**
     * Times the candidate register tiles and block depths on this CPU for a few seconds, stores the
     * fastest under the user's cache folder ({@link GemmTiles}) and switches the kernel to it.
     * Progress goes to {@code log}. Returns the new {@link #tilesDescription()}.
     *
     * @throws IOException if the tuning cannot be stored
     * @throws IllegalStateException without the Vector API module (the scalar kernel has no tiles)
     */
    public static String retune(Consumer<String> log) throws IOException {
        if (!vectorModulePresent()) {
            throw new IllegalStateException("retuning needs the Vector API (java --add-modules jdk.incubator.vector)");
        }
        try {
            kernel = (Kernel) Class.forName("ntklc.tensor.VectorGemm").getDeclaredMethod("retune", Consumer.class).invoke(null, log);
        } catch (java.lang.reflect.InvocationTargetException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
        return tilesDescription();
    }

    /**
     * Installs (or, with {@code null}, removes) the device that takes the products it wants; see
     * {@link GemmOffload}. Returns the previous one, so that a caller can restore it.
     */
    public static GemmOffload setOffload(GemmOffload device) {
        GemmOffload previous = offload;
        offload = device;
        return previous;
    }

    /** The kernel in use, e.g. {@code vector-512 (6×32 register tile)} or {@code scalar}. */
    public static String kernelDescription() {
        return kernel.description();
    }

    /** Returns {@code A·B}; {@code A: m×k}, {@code B: k×n}. Not modified. */
    public static Tensor matmul(Tensor a, Tensor b) {
        if (b.rows() != a.cols()) {
            throw new IllegalArgumentException("matmul: inner dimensions differ, " + a.shapeString() + " · " + b.shapeString());
        }
        Tensor c = Tensor.zeros(a.rows(), b.cols());
        gemm(false, false, a.rows(), b.cols(), a.cols(), a.data(), 0, b.data(), 0, c.data(), 0, true, true);
        return c;
    }

    /** Returns {@code Aᵀ·B}; {@code A: k×m}, {@code B: k×n}. Not modified. */
    public static Tensor matmulTransA(Tensor a, Tensor b) {
        if (b.rows() != a.rows()) {
            throw new IllegalArgumentException("matmulTransA: inner dimensions differ, " + a.shapeString() + "ᵀ · " + b.shapeString());
        }
        Tensor c = Tensor.zeros(a.cols(), b.cols());
        gemm(true, false, a.cols(), b.cols(), a.rows(), a.data(), 0, b.data(), 0, c.data(), 0, true, true);
        return c;
    }

    /** Returns {@code A·Bᵀ}; {@code A: m×k}, {@code B: n×k}. Not modified. */
    public static Tensor matmulTransB(Tensor a, Tensor b) {
        if (b.cols() != a.cols()) {
            throw new IllegalArgumentException("matmulTransB: inner dimensions differ, " + a.shapeString() + " · " + b.shapeString() + "ᵀ");
        }
        Tensor c = Tensor.zeros(a.rows(), b.rows());
        gemm(false, true, a.rows(), b.rows(), a.cols(), a.data(), 0, b.data(), 0, c.data(), 0, true, true);
        return c;
    }

    /** Returns the transpose of a matrix. Not modified. */
    public static Tensor transpose(Tensor a) {
        int r = a.rows();
        int c = a.cols();
        Tensor t = Tensor.zeros(c, r);
        float[] src = a.data();
        float[] dst = t.data();
        final int tile = 32;
        Parallel.forRange((r + tile - 1) / tile, 4, (from, to) -> {
            for (int ib = from * tile; ib < Math.min(r, to * tile); ib += tile) {
                for (int jb = 0; jb < c; jb += tile) {
                    int iEnd = Math.min(r, ib + tile);
                    int jEnd = Math.min(c, jb + tile);
                    for (int i = ib; i < iEnd; i++) {
                        for (int j = jb; j < jEnd; j++) {
                            dst[j * r + i] = src[i * c + j];
                        }
                    }
                }
            }
        });
        return t;
    }

    /**
     * {@code C (+)= A·B} on raw row-major arrays. {@code C} is Modified: overwritten when
     * {@code accumulate} is false, added to otherwise.
     *
     * @param a {@code m×k}
     * @param b {@code k×n}
     * @param c {@code m×n}
     */
    public static void gemm(float[] a, float[] b, float[] c, int m, int k, int n, boolean accumulate) {
        gemm(false, false, m, n, k, a, 0, b, 0, c, 0, accumulate, true);
    }

    /**
     * {@code C (+)= op(A)·B} with {@code B: k×n} supplied by {@code b} block by block
     * ({@link PanelSource}); otherwise as {@link #gemm(boolean, boolean, int, int, int, float[], int,
     * float[], int, float[], int, boolean, boolean)}. Never offloaded to a device.
     */
    public static void gemm(boolean transA, int m, int n, int k, float[] a, int aOff, PanelSource b,
                            float[] c, int cOff, boolean accumulate, boolean parallel) {
        if (!accumulate) {
            Arrays.fill(c, cOff, cOff + m * n, 0f);
        }
        if (m == 0 || n == 0 || k == 0) {
            return;
        }
        kernel.multiplyAdd(m, n, k, a, aOff, transA ? 1 : k, transA ? m : 1, b, c, cOff, n, parallel);
    }

    /**
     * {@code C (+)= op(A)·op(B)} on row-major sub-arrays, the general entry point (used by the
     * convolutions, one image per thread).
     *
     * @param transA     whether {@code A} is stored {@code k×m} (then {@code op(A) = Aᵀ}); else {@code m×k}
     * @param transB     whether {@code B} is stored {@code n×k} (then {@code op(B) = Bᵀ}); else {@code k×n}
     * @param a          holds {@code A} contiguously from {@code aOff}; not modified
     * @param b          holds {@code B} contiguously from {@code bOff}; not modified
     * @param c          holds {@code C: m×n} contiguously from {@code cOff}; Modified
     * @param accumulate add to {@code C} (true) or overwrite it (false)
     * @param parallel   whether to use all cores (false when the caller already runs one task per core)
     */
    public static void gemm(boolean transA, boolean transB, int m, int n, int k,
                            float[] a, int aOff, float[] b, int bOff, float[] c, int cOff,
                            boolean accumulate, boolean parallel) {
        GemmOffload device = offload;
        if (parallel && device != null && m > 0 && n > 0 && k > 0 && device.wants(m, n, k)) {
            // Only whole-machine products: a caller running one task per core keeps its small products.
            device.gemm(transA, transB, m, n, k, a, aOff, b, bOff, c, cOff, accumulate);
            return;
        }
        if (!accumulate) {
            Arrays.fill(c, cOff, cOff + m * n, 0f);
        }
        if (m == 0 || n == 0 || k == 0) {
            return;
        }
        kernel.multiplyAdd(m, n, k,
                a, aOff, transA ? 1 : k, transA ? m : 1,
                b, bOff, transB ? 1 : n, transB ? k : 1,
                c, cOff, n, parallel);
    }
}
