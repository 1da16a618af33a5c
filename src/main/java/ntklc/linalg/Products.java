package ntklc.linalg;

import ntklc.tensor.MatMul;
import ntklc.tensor.Parallel;

/**
 * Matrix products in double precision. From {@link #GEMM_MIN_MACS} multiply-adds on, by the
 * blocked {@link Gemm} (after an explicit transpose for {@code A·Bᵀ} and the Gram matrix); below,
 * by loops multithreaded over rows of the result with {@link Parallel}, whose orders follow
 * {@link ntklc.tensor.MatMul}: {@code C = A·B} walks {@code i, k, j} so the innermost loop streams
 * a row of {@code B} into a row of {@code C} (one shared index), while {@code A·Bᵀ} forms dot
 * products of contiguous rows.
 */
public final class Products {
    private Products() {
    }

    /** {@code C = A·B}; {@code A: m×k}, {@code B: k×n}, {@code C: m×n}. Not modified. */
    public static Matrix multiply(Matrix a, Matrix b) {
        int m = a.rows();
        int k = a.cols();
        int n = b.cols();
        if (b.rows() != k) {
            throw new IllegalArgumentException("multiply: inner dimensions differ, " + a.shapeString() + " · "
                    + b.shapeString());
        }
        Matrix c = Matrix.zeros(m, n);
        double[] ad = a.data();
        double[] bd = b.data();
        double[] cd = c.data();
        if (byGemm(m, n, k)) {
            Gemm.multiplyAdd(m, n, k, ad, 0, k, bd, 0, n, cd, 0, n);
            return c;
        }
        Parallel.forRange(m, minRows(m, k, n), (r0, r1) -> {
            for (int i = r0; i < r1; i++) {
                for (int p = 0; p < k; p++) {
                    double aip = ad[i * k + p];
                    if (aip != 0) {
                        Simd.axpy(aip, bd, p * n, cd, i * n, n);
                    }
                }
            }
        });
        return c;
    }

    /** {@code C = A·Bᵀ}; {@code A: m×k}, {@code B: n×k}, {@code C: m×n}. Not modified. */
    public static Matrix multiplyTransB(Matrix a, Matrix b) {
        int m = a.rows();
        int k = a.cols();
        int n = b.rows();
        if (b.cols() != k) {
            throw new IllegalArgumentException("multiplyTransB: inner dimensions differ, " + a.shapeString() + " · ("
                    + b.shapeString() + ")ᵀ");
        }
        Matrix c = Matrix.zeros(m, n);
        double[] ad = a.data();
        double[] bd = b.data();
        double[] cd = c.data();
        if (byGemm(m, n, k)) {
            Gemm.multiplyAdd(m, n, k, ad, 0, k, b.transpose().data(), 0, n, cd, 0, n);
            return c;
        }
        Parallel.forRange(m, minRows(m, k, n), (r0, r1) -> {
            for (int i = r0; i < r1; i++) {
                for (int j = 0; j < n; j++) {
                    cd[i * n + j] = Simd.dot(ad, i * k, bd, j * k, k);
                }
            }
        });
        return c;
    }

    /**
     * The Gram matrix {@code G = X·Xᵀ} of the rows of {@code x} ({@code n×p} → {@code n×n},
     * {@code G_ij = ⟨x_i, x_j⟩}): the paper's {@code XᵀX} with samples as rows. Exactly
     * symmetric (the upper triangle is computed and mirrored). Not modified.
     */
    public static Matrix gram(Matrix x) {
        int n = x.rows();
        int p = x.cols();
        Matrix g = Matrix.zeros(n, n);
        double[] xd = x.data();
        double[] gd = g.data();
        if (byGemm(n, n, p)) {
            // the whole product (twice the multiply-adds of the upper triangle, at several times
            // the rate of the dot products below), then the upper triangle mirrored as below
            Gemm.multiplyAdd(n, n, p, xd, 0, p, x.transpose().data(), 0, n, gd, 0, n);
        } else {
            dotsOfUpperTriangle(xd, n, p, gd);
        }
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                gd[j * n + i] = gd[i * n + j];
            }
        }
        return g;
    }

    /** {@code g[i·n + j] = ⟨x_i, x_j⟩} for {@code j ≥ i}. {@code g} is Modified. */
    private static void dotsOfUpperTriangle(double[] xd, int n, int p, double[] gd) {
        // Row i costs n − i dot products: interleave rows so that chunks carry equal work.
        Parallel.forRange(n, minRows(n, p, n), (r0, r1) -> {
            for (int t = r0; t < r1; t++) {
                int i = (t % 2 == 0) ? t / 2 : n - 1 - t / 2;
                for (int j = i; j < n; j++) {
                    gd[i * n + j] = Simd.dot(xd, i * p, xd, j * p, p);
                }
            }
        });
    }

    /** {@code y = A·x}; {@code A: m×n}, {@code x} of length n. Not modified. */
    public static double[] times(Matrix a, double[] x) {
        if (x.length != a.cols()) {
            throw new IllegalArgumentException("times: " + a.shapeString() + " · vector of length " + x.length);
        }
        double[] y = new double[a.rows()];
        for (int i = 0; i < y.length; i++) {
            y[i] = Simd.dot(a.data(), i * a.cols(), x, 0, x.length);
        }
        return y;
    }

    /** {@code ⟨x, y⟩}. */
    public static double dot(double[] x, double[] y) {
        if (x.length != y.length) {
            throw new IllegalArgumentException("dot: lengths " + x.length + " and " + y.length);
        }
        return Simd.dot(x, 0, y, 0, x.length);
    }

    /**
     * Multiply-adds from which a product goes to {@link Gemm} (packed, register-blocked, about
     * 23 GMAC/s at n = 2000 on the 2-core AMD EPYC Zen 3 against about 6 for the loops here); below
     * it the loops, which need no compilation of the GEMM kernel (about a second in a fresh JVM).
     * 2²⁸ keeps the 512³ product that {@code report} times at start-up on the loops, the rate its
     * efficiencies were measured against (docs/report.md).
     */
    static final long GEMM_MIN_MACS = 1L << 28;

    private static boolean byGemm(long m, long n, long k) {
        return m * n * k >= GEMM_MIN_MACS;
    }

    /** Rows per task: all of them (one task) unless {@link MatMul#splitAcrossCores} says split. */
    private static int minRows(int m, int k, int n) {
        return MatMul.splitAcrossCores(m, n, k) ? 1 : Math.max(1, m);
    }
}
