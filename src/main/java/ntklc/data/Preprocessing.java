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
    public static Dataset rawPixels(Samples split, int[] classes, int T, double[] cs) {
        requireCountWithProportions(T, cs);
        int[][] kept = classBlocks(split, classes, 0, new double[0]);
        int[][] taken = kept;
        if (T > 0) {
            int[] counts = Arrays.stream(kept).mapToInt(r -> r.length).toArray();
            int[] want = wanted(counts, classes, T, cs);
            taken = new int[kept.length][];
            for (int k = 0; k < kept.length; k++) {
                taken[k] = Arrays.copyOf(kept[k], want[k]);
            }
        }
        int p = split.p();
        float[] out = new float[Math.multiplyExact(total(taken), p)];
        normalise(split, concat(kept), concat(taken), out);
        return new Dataset(Tensor.wrap(out, out.length / p, p), labels(taken), classes.length);
    }

    /**
     * Feature normalisation of docs/theory.md §1.4 (and steps 3+5 of §1.3 without class selection):
     * {@code x_i ← (x_i − m)/s}, so that the rows have mean 0 and {@code (1/n)Σ||x_i||² = 1}.
     *
     * @param x n×p, one sample per row (Modified in place)
     * @throws DataException if all rows are equal (s = 0)
     */
    public static void centreToUnitMeanSquaredNorm(Tensor x) {
        int[] all = new int[x.rows()];
        Arrays.setAll(all, i -> i);
        normalise(new Dataset(x, new int[x.rows()], 1), all, all, x.data());
    }

    /**
     * {@code out[r] = (x_{rows[r]} − m)/s} with m and s of the samples {@code statsRows}: the mean
     * accumulated in double over those samples in the given order, s from the squared norms of the
     * centred rows summed in that order, so the result does not depend on the number of threads.
     * Reads each row once per pass, converting as {@link Samples#row} does; {@code out} may be the
     * data of {@code split} itself when {@code rows} is the identity (rows are written only after
     * the statistics are complete, each from its own row).
     *
     * @throws DataException if every row equals the mean (s = 0)
     */
    private static void normalise(Samples split, int[] statsRows, int[] rows, float[] out) {
        int p = split.p();
        int n = statsRows.length;
        double[] mean = new double[p];
        float[] row = new float[p];
        for (int i : statsRows) {
            split.row(i, row);
            for (int j = 0; j < p; j++) {
                mean[j] += row[j];
            }
        }
        for (int j = 0; j < p; j++) {
            mean[j] /= n;
        }
        double[] rowSq = new double[n];
        Parallel.forRange(n, 256, (i0, i1) -> {
            float[] r = new float[p];
            for (int i = i0; i < i1; i++) {
                split.row(statsRows[i], r);
                double sq = 0;
                for (int j = 0; j < p; j++) {
                    double v = r[j] - mean[j];
                    sq += v * v;
                }
                rowSq[i] = sq;
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
        Parallel.forRange(rows.length, 256, (i0, i1) -> {
            float[] r = new float[p];
            for (int i = i0; i < i1; i++) {
                split.row(rows[i], r);
                for (int j = 0; j < p; j++) {
                    out[i * p + j] = (float) ((r[j] - mean[j]) / s);
                }
            }
        });
    }

    /**
     * Class selection with relabelling, no normalisation: keeps the samples whose label is in
     * {@code classes} (label {@code classes[k]} becomes k), the first {@code ⌊cs[k]·T⌋} of each
     * (all when T ≤ 0), in contiguous blocks. Values are copied unchanged.
     */
    public static Dataset select(Samples split, int[] classes, int T, double[] cs) {
        requireCountWithProportions(T, cs);
        int[][] rows = classBlocks(split, classes, T, cs);
        int total = total(rows);
        int p = split.p();
        float[] out = new float[Math.multiplyExact(total, p)];
        int[] order = concat(rows);
        Parallel.forRange(total, 256, (i0, i1) -> {
            float[] r = new float[p];
            for (int i = i0; i < i1; i++) {
                split.row(order[i], r);
                System.arraycopy(r, 0, out, i * p, p);
            }
        });
        return new Dataset(Tensor.wrap(out, total, p), labels(rows), classes.length);
    }

    /**
     * The indices of the samples {@link #select} keeps, per new class k: the first
     * {@code ⌊cs[k]·T⌋} of label {@code classes[k]} in data-set order (all when T ≤ 0).
     *
     * @throws DataException if a class is unknown, repeated, has fewer samples than asked for, or
     *                       nothing is selected
     */
    private static int[][] classBlocks(Samples split, int[] classes, int T, double[] cs) {
        int K = classes.length;
        int[] newLabel = relabelling(classes, split.numClasses());
        int[] count = new int[K];
        for (int label : split.labels()) {
            int k = newLabel[label];
            if (k >= 0) {
                count[k]++;
            }
        }
        int[] want = T <= 0 ? count : wanted(count, classes, T, cs);
        int[][] rows = new int[K][];
        for (int k = 0; k < K; k++) {
            rows[k] = new int[want[k]];
        }
        int[] filled = new int[K];
        for (int i = 0; i < split.n(); i++) {
            int k = newLabel[split.labels()[i]];
            if (k >= 0 && filled[k] < rows[k].length) {
                rows[k][filled[k]++] = i;
            }
        }
        if (total(rows) == 0) {
            throw new DataException("no samples of classes " + Arrays.toString(classes) + " selected");
        }
        return rows;
    }

    /** ⌊cs[k]·T⌋ per class, checked against the {@code count} available. */
    private static int[] wanted(int[] count, int[] classes, int T, double[] cs) {
        double[] proportions = proportions(cs, classes.length);
        int[] want = new int[classes.length];
        for (int k = 0; k < want.length; k++) {
            want[k] = (int) Math.floor(proportions[k] * T + 1e-9);
            if (want[k] > count[k]) {
                throw new DataException("class " + classes[k] + " has " + count[k] + " samples in this split, " + want[k]
                        + " requested");
            }
        }
        return want;
    }

    private static int total(int[][] rows) {
        return Arrays.stream(rows).mapToInt(r -> r.length).sum();
    }

    private static int[] concat(int[][] rows) {
        return Arrays.stream(rows).flatMapToInt(Arrays::stream).toArray();
    }

    /** Label k for every index of block k. */
    private static int[] labels(int[][] rows) {
        int[] labels = new int[total(rows)];
        int at = 0;
        for (int k = 0; k < rows.length; k++) {
            Arrays.fill(labels, at, at + rows[k].length, k);
            at += rows[k].length;
        }
        return labels;
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
