package ntklc.compression.packed;

import ntklc.tensor.Parallel;

/**
 * The first layer on real input, with additions and subtractions only
 * ({@code docs/theory.md §6.1}): for a batch of samples held as columns
 * ({@code xᵀ: d_0×B}, B a multiple of 64),
 * <pre>
 *   acc_j = Σ_{i: T_ji = +1} xᵀ[i, :] − Σ_{i: T_ji = −1} xᵀ[i, :]      (a vector over the B samples)
 *   u_j = a·acc_j,   bit planes of σ_1(u_j)
 * </pre>
 * The inner loop adds one contiguous row of {@code xᵀ} to the accumulator of B floats, which the
 * JIT turns into vector additions across samples. For the SIGNS form (ε = 0)
 * {@code acc_j = 2·Σ_{T=+1} xᵀ − Σ_i xᵀ[i, :]}, half the additions. Float accumulation, in an order
 * other than the dense GEMM's: the two agree to rounding, and a unit can take the other piece of σ
 * only where {@code u_j} lies within that rounding of a threshold.
 */
final class FirstLayerKernel {
    private FirstLayerKernel() {
    }

    /**
     * @param x    {@code n×p} row-major (Not modified); rows {@code s0 … s0+b−1} are the batch
     * @param nBlk blocks of 64 samples, {@code 64·nBlk ≥ b}
     * @return {@code out[q][j·nBlk + β]}, sample-sliced planes; lanes of absent samples 0
     */
    static long[][] apply(TernaryMatrix t, LevelPlanes planes, float[] x, int p, int s0, int b, int nBlk) {
        if (t.cols() != p) {
            throw new IllegalArgumentException("first layer expects p = " + t.cols() + ", got " + p);
        }
        int width = 64 * nBlk;
        float[] xT = new float[p * width];
        for (int s = 0; s < b; s++) {
            for (int i = 0; i < p; i++) {
                xT[i * width + s] = x[(s0 + s) * p + i];
            }
        }
        float[] total = t.signsOnly() ? new float[width] : null;
        if (total != null) {
            for (int i = 0; i < p; i++) {
                addRow(total, xT, i * width, width);
            }
        }
        int dOut = t.rows();
        long[][] out = new long[planes.planes()][dOut * nBlk];
        double level = t.level();
        Parallel.forRange(dOut, 8, (from, to) -> {
            float[] acc = new float[width];
            int[] idx = new int[p];
            for (int j = from; j < to; j++) {
                java.util.Arrays.fill(acc, 0f);
                int m = t.plusIndices(j, idx);
                for (int k = 0; k < m; k++) {
                    addRow(acc, xT, idx[k] * width, width);
                }
                if (total != null) {
                    for (int s = 0; s < width; s++) {
                        acc[s] = 2 * acc[s] - total[s];
                    }
                } else {
                    m = t.minusIndices(j, idx);
                    for (int k = 0; k < m; k++) {
                        subtractRow(acc, xT, idx[k] * width, width);
                    }
                }
                for (int s = 0; s < b; s++) {
                    int q = planes.planeOfPiece()[planes.piece(level * acc[s])];
                    if (q >= 0) {
                        out[q][j * nBlk + (s >>> 6)] |= 1L << s;
                    }
                }
            }
        });
        return out;
    }

    private static void addRow(float[] acc, float[] xT, int from, int width) {
        for (int s = 0; s < width; s++) {
            acc[s] += xT[from + s];
        }
    }

    private static void subtractRow(float[] acc, float[] xT, int from, int width) {
        for (int s = 0; s < width; s++) {
            acc[s] -= xT[from + s];
        }
    }
}
