package ntklc.spectral;

import ntklc.linalg.Eigen;
import ntklc.linalg.Matrix;
import ntklc.linalg.Products;
import ntklc.linalg.SymmetricEigen;

/**
 * Experiment E1's comparison of a kernel K with its equivalent K̃ (docs/theory.md §8.1, §8.5 R1): the
 * operator-norm error, both spectra, and the leading eigenvectors with their overlaps.
 *
 * @param relError  {@code ‖K − K̃‖ / ‖K‖} (operator norms)
 * @param normK     {@code ‖K‖}
 * @param normError {@code ‖K − K̃‖}
 * @param k         eigenvalues of K (decreasing) and its {@code vectors} leading eigenvectors
 * @param kTilde    the same for K̃, each eigenvector's sign aligned with K's
 *                  ({@code ⟨u_j, ũ_j⟩ ≥ 0})
 * @param overlaps  {@code |⟨u_j, ũ_j⟩|} for the leading eigenvectors
 */
public record SpectralComparison(double relError, double normK, double normError, Eigen k, Eigen kTilde,
                                 double[] overlaps) {

    /**
     * Compares {@code k} and {@code kTilde} (both n×n symmetric, not modified), keeping
     * {@code vectors} leading eigenvectors of each.
     */
    public static SpectralComparison of(Matrix k, Matrix kTilde, int vectors) {
        Eigen ek = SymmetricEigen.decompose(k, vectors);
        Eigen et = SymmetricEigen.decompose(kTilde, vectors);
        double normK = Math.max(Math.abs(ek.values()[0]), Math.abs(ek.values()[ek.values().length - 1]));
        double normError = SymmetricEigen.operatorNorm(k.minus(kTilde));
        double[] overlaps = new double[vectors];
        Matrix aligned = et.vectors().copy();
        for (int j = 0; j < vectors; j++) {
            double dot = Products.dot(ek.vector(j), et.vector(j));
            overlaps[j] = Math.abs(dot);
            if (dot < 0) {
                for (int i = 0; i < aligned.rows(); i++) {
                    aligned.set(i, j, -aligned.get(i, j));
                }
            }
        }
        return new SpectralComparison(normError / normK, normK, normError, ek, new Eigen(et.values(), aligned),
                overlaps);
    }

    /** At most this many leading eigenvalues are called isolated (the paper's figures show one or two). */
    public static final int MAX_ISOLATED = 10;

    /**
     * The number m of isolated leading eigenvalues (the spikes outside the bulk in the paper's
     * Fig. 2 top): the largest m ≤ {@link #MAX_ISOLATED} such that
     * {@code λ_{m−1} − λ_m > gap}, with {@code descending} sorted from the largest. With
     * {@code gap} = the histogram's bin width, an isolated eigenvalue is one separated from all the
     * smaller ones by at least one empty bin. Returns 0 when no such gap exists.
     */
    public static int isolatedCount(double[] descending, double gap) {
        int m = 0;
        for (int j = 1; j < Math.min(descending.length, MAX_ISOLATED + 1); j++) {
            if (descending[j - 1] < descending[j]) {
                throw new IllegalArgumentException("eigenvalues not in decreasing order at index " + j);
            }
            if (descending[j - 1] - descending[j] > gap) {
                m = j;
            }
        }
        return m;
    }

    /**
     * Counts of {@code values} in {@code bins} equal bins over {@code [lo, hi]} (the last bin
     * closed), as the reference code's {@code plot_eigen} draws them.
     */
    public static int[] histogram(double[] values, double lo, double hi, int bins) {
        int[] counts = new int[bins];
        double width = (hi - lo) / bins;
        for (double v : values) {
            int b = width > 0 ? (int) Math.floor((v - lo) / width) : 0;
            counts[Math.max(0, Math.min(bins - 1, b))]++;
        }
        return counts;
    }
}
