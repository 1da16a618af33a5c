package ntklc.data;

import java.util.Arrays;

import ntklc.tensor.Parallel;
import ntklc.tensor.Tensor;

/**
 * Normalisation of real data as in the reference code (docs/theory.md §1.3 raw pixels, §1.4 VGG features).
 * Both end in the same map: subtract the split's mean vector {@code m = (1/N)Σ_i x_i} and divide
 * by {@code s = √((1/N)Σ_i ||x_i − m||²)}, so the normalised split has mean 0 and average squared
 * norm {@code (1/N)Σ_i ||x_i||² = 1}, hence τ0 ≈ 1 (docs/theory.md §1.2). Each split (train, test) is normalised
 * with its own statistics, as in the code.
 */
public final class Preprocessing {
    private Preprocessing() {
    }

    /**
     * Raw-pixel preprocessing of docs/theory.md §1.3 applied to one split.
     * <ol>
     *   <li>keep the images whose label is in {@code classes}; label {@code classes[k]} becomes k;</li>
     *   <li>on <em>all</em> kept images compute m and s (above);</li>
     *   <li>for each k take the first {@code ⌊cs[k]·T⌋} kept images of class k in data-set order
     *       (all of them when {@code T ≤ 0});</li>
     *   <li>return {@code (x_i − m)/s} — the code's multiplication by √p/s followed by the
     *       division by √p — with classes in contiguous blocks, class 0 first.</li>
     * </ol>
     *
     * @param split   one split, n×p (Not modified)
     * @param classes original labels to keep, distinct; their order defines the new labels
     * @param T       number of samples to take (before flooring per class); ≤ 0 takes all
     * @param cs      class proportions (length {@code classes.length}); empty means 1/K each
     * @return N'×p, N' = Σ_k ⌊cs[k]·T⌋ (or all kept images), labels 0..K−1
     * @throws DataException if a class is unknown, repeated, or has fewer images than asked for
     */
    public static Dataset rawPixels(Dataset split, int[] classes, int T, double[] cs) {
        requireCountWithProportions(T, cs);
        Dataset kept = select(split, classes, 0, new double[0]);
        centreToUnitMeanSquaredNorm(kept.x());
        if (T <= 0) {
            return kept;
        }
        int[] identity = new int[classes.length];
        Arrays.setAll(identity, k -> k);
        return select(kept, identity, T, cs);
    }

    /**
     * Feature normalisation of docs/theory.md §1.4 (and steps 3+5 of §1.3 without class selection):
     * {@code x_i ← (x_i − m)/s}, so that the rows have mean 0 and {@code (1/n)Σ||x_i||² = 1}.
     *
     * @param x n×p, one sample per row (Modified in place)
     * @throws DataException if all rows are equal (s = 0)
     */
    public static void centreToUnitMeanSquaredNorm(Tensor x) {
        int n = x.rows();
        int p = x.cols();
        float[] d = x.data();
        // Each parallel task owns whole columns (mean) or whole rows (norms, update), and the final
        // sums run in a fixed order, so the result does not depend on the number of threads.
        double[] mean = new double[p];
        Parallel.forRange(p, 64, (j0, j1) -> {
            for (int i = 0; i < n; i++) {
                for (int j = j0; j < j1; j++) {
                    mean[j] += d[i * p + j];
                }
            }
            for (int j = j0; j < j1; j++) {
                mean[j] /= n;
            }
        });
        double[] rowSq = new double[n];
        Parallel.forRange(n, 256, (i0, i1) -> {
            for (int i = i0; i < i1; i++) {
                double s = 0;
                for (int j = 0; j < p; j++) {
                    double v = d[i * p + j] - mean[j];
                    s += v * v;
                }
                rowSq[i] = s;
            }
        });
        double sumSq = 0;
        for (double v : rowSq) {
            sumSq += v;
        }
        double s = Math.sqrt(sumSq / n);
        if (!(s > 0)) {
            throw new DataException("all " + n + " samples are identical; they cannot be scaled to unit norm");
        }
        Parallel.forRange(n, 256, (i0, i1) -> {
            for (int i = i0; i < i1; i++) {
                for (int j = 0; j < p; j++) {
                    d[i * p + j] = (float) ((d[i * p + j] - mean[j]) / s);
                }
            }
        });
    }

    /**
     * Class selection with relabelling, no normalisation: keeps the samples whose label is in
     * {@code classes} (label {@code classes[k]} becomes k), the first {@code ⌊cs[k]·T⌋} of each
     * (all when T ≤ 0), in contiguous blocks. Values are copied unchanged.
     */
    public static Dataset select(Dataset split, int[] classes, int T, double[] cs) {
        requireCountWithProportions(T, cs);
        int K = classes.length;
        int[] newLabel = relabelling(classes, split.numClasses());
        double[] proportions = proportions(cs, K);
        int p = split.p();
        int[][] rows = new int[K][];
        int[] count = new int[K];
        for (int label : split.labels()) {
            int k = newLabel[label];
            if (k >= 0) {
                count[k]++;
            }
        }
        for (int k = 0; k < K; k++) {
            int want = T <= 0 ? count[k] : (int) Math.floor(proportions[k] * T + 1e-9);
            if (want > count[k]) {
                throw new DataException("class " + classes[k] + " has " + count[k] + " samples in this split, " + want + " requested");
            }
            rows[k] = new int[want];
        }
        int[] filled = new int[K];
        for (int i = 0; i < split.n(); i++) {
            int k = newLabel[split.labels()[i]];
            if (k >= 0 && filled[k] < rows[k].length) {
                rows[k][filled[k]++] = i;
            }
        }
        int total = Arrays.stream(rows).mapToInt(r -> r.length).sum();
        if (total == 0) {
            throw new DataException("no samples of classes " + Arrays.toString(classes) + " selected");
        }
        float[] src = split.x().data();
        float[] out = new float[Math.multiplyExact(total, p)];
        int[] labels = new int[total];
        int dst = 0;
        for (int k = 0; k < K; k++) {
            for (int i : rows[k]) {
                System.arraycopy(src, i * p, out, dst * p, p);
                labels[dst++] = k;
            }
        }
        return new Dataset(Tensor.wrap(out, total, p), labels, K);
    }

    /** Proportions only make sense with a sample count to apply them to. */
    private static void requireCountWithProportions(int T, double[] cs) {
        if (T <= 0 && cs.length > 0) {
            throw new DataException("class proportions were given without a number of samples T > 0 to apply them to");
        }
    }

    /** newLabel[original] = k if classes[k] == original, else −1. */
    private static int[] relabelling(int[] classes, int numClasses) {
        if (classes.length == 0) {
            throw new DataException("no classes selected");
        }
        int[] newLabel = new int[numClasses];
        Arrays.fill(newLabel, -1);
        for (int k = 0; k < classes.length; k++) {
            int c = classes[k];
            if (c < 0 || c >= numClasses) {
                throw new DataException("class " + c + " does not exist (classes are 0.." + (numClasses - 1) + ")");
            }
            if (newLabel[c] >= 0) {
                throw new DataException("class " + c + " selected twice");
            }
            newLabel[c] = k;
        }
        return newLabel;
    }

    /** cs, or 1/K each when empty; must have K positive entries summing to at most 1. */
    private static double[] proportions(double[] cs, int K) {
        if (cs.length == 0) {
            double[] c = new double[K];
            Arrays.fill(c, 1.0 / K);
            return c;
        }
        if (cs.length != K) {
            throw new DataException(cs.length + " class proportions for " + K + " classes");
        }
        double sum = 0;
        for (double c : cs) {
            if (!(c > 0)) {
                throw new DataException("class proportions must be positive, got " + Arrays.toString(cs));
            }
            sum += c;
        }
        if (sum > 1 + 1e-6) {
            throw new DataException("class proportions must sum to at most 1, got " + Arrays.toString(cs));
        }
        return cs;
    }
}
