package ntklc.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/**
 * Both GEMM kernels against a double-precision triple loop. Tolerance: the deterministic
 * rounding-error bound for a float dot product of length k, {@code |ĉ − c| ≤ γ_k Σ_p |a_ip||b_pj|}
 * with {@code γ_k = k·u/(1 − k·u)}, {@code u = 2⁻²⁴} (Higham, Accuracy and Stability of Numerical
 * Algorithms, 2nd ed., §3.5, Eq. (3.11)); a blocked or reordered sum obeys the same bound.
 */
class MatMulTest {
    /** Awkward shapes: 1×N, N×1, sizes around the register tile (8×32) and block (96, 128) edges. */
    private static final int[][] SHAPES = {
            {1, 1, 1}, {1, 37, 5}, {37, 1, 5}, {5, 3, 1}, {7, 33, 129}, {8, 32, 128},
            {9, 31, 127}, {97, 65, 257}, {130, 70, 300}, {3, 2050, 17},
    };

    @Test
    void vectorKernelIsAvailableInTests() {
        // The surefire argLine passes --add-modules jdk.incubator.vector, so the fast kernel must load.
        assertNotNull(MatMul.vectorKernel(), "Vector API kernel did not load");
        assertTrue(MatMul.kernelDescription().startsWith("vector"), MatMul.kernelDescription());
    }

    @Test
    void vectorKernelMatchesDoubleReference() {
        checkKernel(MatMul.vectorKernel());
    }

    @Test
    void everyVariantMatchesDoubleReference() {
        // The seam: gemm0 (reference), gemm1 (scalar) and, with the Vector API, gemm2 and gemm3.
        java.util.List<MatMul.Kernel> variants = MatMul.variants();
        assertEquals("gemm0", variants.get(0).name());
        assertEquals(4, variants.size(), "the Vector API is on in tests, so all four variants load");
        for (MatMul.Kernel kernel : variants) {
            checkKernel(kernel);
        }
    }

    @Test
    void smallBlocksCrossEveryBoundary() {
        // Blocks far smaller than the shapes, so that every shape above crosses the kc, mc and nc
        // edges and the register tile after each one (the touched "next" C tile) is sometimes a
        // full one, sometimes an edge one, sometimes in the next column panel.
        int nr = VectorGemm.NR;
        for (int mr : GemmTiles.MICRO_KERNEL_ROWS) {
            checkKernel(new VectorGemm(new GemmTiles(mr, 24, 3 * mr, 2 * nr, "test")));
        }
    }

    @Test
    void sharedProductOnSeveralCoresMatchesDoubleReference() {
        // The many-core path (VectorGemm.shared: B packed once and shared, C cut into units taken
        // on demand) with 2 and 3 cores, whatever this machine has, on the shapes above and on
        // ones that cut C into several row units, into column groups (short C) and into several
        // column blocks whose last one is narrower (so the unit count changes between blocks),
        // with depths that are not multiples of kc. Blocks: this CPU's, and tiny ones.
        int nr = VectorGemm.NR;
        for (int mr : GemmTiles.MICRO_KERNEL_ROWS) {
            VectorGemm own = new VectorGemm(GemmTiles.withDepth(mr, GemmTiles.fromCaches(CpuCaches.current(),
                    VectorGemm.lanes()).kc(), nr, CpuCaches.current(), "test"));
            VectorGemm tiny = new VectorGemm(new GemmTiles(mr, 24, 3 * mr, 2 * nr, "test"));
            for (VectorGemm kernel : new VectorGemm[] {own, tiny}) {
                for (int threads = 2; threads <= 3; threads++) {
                    checkKernel(onCores(kernel, threads), SHAPES);
                    checkKernel(onCores(kernel, threads), SHARED_SHAPES);
                }
            }
        }
    }

    /** Shapes for the many-core path: tall, short and wide, with odd sizes and depths. */
    private static final int[][] SHARED_SHAPES = {
            {301, 75, 131}, {13, 700, 50}, {600, 9, 40}, {64, 4 * 33 + 5, 1030}, {2, 3, 600},
    };

    /** {@code kernel} with every {@code float[]} product run by {@link VectorGemm#shared} on {@code threads} cores. */
    private static MatMul.Kernel onCores(VectorGemm kernel, int threads) {
        return new MatMul.Kernel() {
            @Override
            public String name() {
                return kernel.name();
            }

            @Override
            public String description() {
                return kernel.description() + " shared by " + threads + " cores, " + kernel.tiles();
            }

            @Override
            public void multiplyAdd(int m, int n, int k, float[] a, int aOff, int aRs, int aCs, float[] b, int bOff,
                                    int bRs, int bCs, float[] c, int cOff, int ldc, boolean parallel) {
                kernel.shared(threads, m, n, k, a, aOff, aRs, aCs, b, bOff, bRs, bCs, c, cOff, ldc);
            }

            @Override
            public void multiplyAdd(int m, int n, int k, float[] a, int aOff, int aRs, int aCs,
                                    MatMul.PanelSource b, float[] c, int cOff, int ldc, boolean parallel) {
                kernel.multiplyAdd(m, n, k, a, aOff, aRs, aCs, b, c, cOff, ldc, parallel);
            }
        };
    }

    @Test
    void scalarKernelMatchesDoubleReference() {
        checkKernel(new ScalarGemm());
    }

    private static void checkKernel(MatMul.Kernel kernel) {
        checkKernel(kernel, SHAPES);
    }

    private static void checkKernel(MatMul.Kernel kernel, int[][] shapes) {
        SplittableRandom rng = new SplittableRandom(42);
        for (int[] s : shapes) {
            int m = s[0];
            int n = s[1];
            int k = s[2];
            for (int variant = 0; variant < 4; variant++) {
                boolean ta = (variant & 1) != 0;
                boolean tb = (variant & 2) != 0;
                int aOff = 3;
                int bOff = 5;
                int cOff = 2;
                float[] a = random(aOff + m * k, rng);
                float[] b = random(bOff + k * n, rng);
                float[] c = random(cOff + m * n + 4, rng);
                float[] c0 = c.clone();
                kernel.multiplyAdd(m, n, k, a, aOff, ta ? 1 : k, ta ? m : 1, b, bOff, tb ? 1 : n, tb ? k : 1,
                        c, cOff, n, true);
                // The same product with B supplied block by block (MatMul.PanelSource), from the same array.
                float[] viaPanels = c0.clone();
                kernel.multiplyAdd(m, n, k, a, aOff, ta ? 1 : k, ta ? m : 1, panelsOf(b, bOff, tb, k, n),
                        viaPanels, cOff, n, true);
                double gamma = k * 0x1p-24 / (1 - k * 0x1p-24);
                for (int i = 0; i < m; i++) {
                    for (int j = 0; j < n; j++) {
                        double ref = c0[cOff + i * n + j];
                        double abs = Math.abs(ref);
                        for (int p = 0; p < k; p++) {
                            double x = a[aOff + (ta ? p * m + i : i * k + p)];
                            double y = b[bOff + (tb ? j * k + p : p * n + j)];
                            ref += x * y;
                            abs += Math.abs(x * y);
                        }
                        // +1 term of γ for the final addition to the old C, + the float rounding of ref.
                        double tol = (gamma + 2 * 0x1p-24) * abs + 1e-30;
                        double got = c[cOff + i * n + j];
                        double gotViaPanels = viaPanels[cOff + i * n + j];
                        if (Math.abs(gotViaPanels - ref) > tol) {
                            throw new AssertionError(kernel.description() + " with a PanelSource, m=" + m + " n=" + n
                                    + " k=" + k + " transA=" + ta + " transB=" + tb + " at (" + i + "," + j + "): "
                                    + gotViaPanels + " vs " + ref);
                        }
                        if (Math.abs(got - ref) > tol) {
                            throw new AssertionError(kernel.description() + " m=" + m + " n=" + n + " k=" + k
                                    + " transA=" + ta + " transB=" + tb + " at (" + i + "," + j + "): " + got + " vs " + ref);
                        }
                    }
                }
                // Entries outside C (before cOff and after the end) are untouched.
                for (int q = 0; q < cOff; q++) {
                    assertEquals(c0[q], c[q]);
                }
                for (int q = cOff + m * n; q < c.length; q++) {
                    assertEquals(c0[q], c[q]);
                }
            }
        }
    }

    /** {@code op(B)} ({@code k×n}, stored from {@code off}, transposed if {@code tb}) as a panel source. */
    private static MatMul.PanelSource panelsOf(float[] b, int off, boolean tb, int k, int n) {
        return (pc, kc, jc, nc, nr, panels) -> {
            for (int q = 0; q * nr < nc; q++) {
                for (int p = 0; p < kc; p++) {
                    for (int j = 0; j < nr; j++) {
                        int col = q * nr + j;
                        int row = pc + p;
                        panels[q * nr * kc + p * nr + j] = col >= nc ? 0f
                                : b[off + (tb ? (jc + col) * k + row : row * n + jc + col)];
                    }
                }
            }
        };
    }

    @Test
    void publicEntryPointsAgreeWithEachOther() {
        // matmulTransA(A, B) = matmul(transpose(A), B) and matmulTransB(A, B) = matmul(A, transpose(B)):
        // identities of the transpose, checked to the same float bound as above (k = 50 terms).
        SplittableRandom rng = new SplittableRandom(7);
        Tensor a = Tensor.wrap(random(50 * 13, rng), 50, 13);
        Tensor b = Tensor.wrap(random(50 * 21, rng), 50, 21);
        Tensor viaTrans = MatMul.matmulTransA(a, b);
        Tensor direct = MatMul.matmul(MatMul.transpose(a), b);
        assertClose(direct, viaTrans, 50);
        Tensor bt = MatMul.transpose(b);
        Tensor viaTransB = MatMul.matmulTransB(MatMul.transpose(a), bt);
        assertClose(direct, viaTransB, 50);
        // gemm with accumulate=false overwrites: garbage in C must not leak into the result.
        float[] c = random(13 * 21, rng);
        MatMul.gemm(MatMul.transpose(a).data(), b.data(), c, 13, 50, 21, false);
        assertClose(direct, Tensor.wrap(c, 13, 21), 50);
    }

    private static void assertClose(Tensor expected, Tensor actual, int k) {
        assertTrue(expected.sameShape(actual));
        for (int i = 0; i < expected.size(); i++) {
            // Inputs in [-1, 1]: Σ|a||b| ≤ k, so each entry is within 2·γ_k·k of the exact value.
            assertEquals(expected.data()[i], actual.data()[i], 2 * k * k * 0x1p-24 * 1.01);
        }
    }

    static float[] random(int size, SplittableRandom rng) {
        float[] x = new float[size];
        for (int i = 0; i < size; i++) {
            x[i] = (float) (rng.nextDouble() * 2 - 1);
        }
        return x;
    }
}
