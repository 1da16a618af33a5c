package ntklc.compression;

import ntklc.tensor.Tensor;

/** A trained linear classifier on the last-layer features (the only trained part, docs/theory.md §2.1). */
public interface Readout {
    /** Predicted class of each row of {@code features} ({@code n×d_L}, Not modified). */
    int[] predict(Tensor features);

    /** Fraction of rows whose prediction equals the label. */
    default double accuracy(Tensor features, int[] labels) {
        int[] predicted = predict(features);
        int correct = 0;
        for (int i = 0; i < labels.length; i++) {
            correct += predicted[i] == labels[i] ? 1 : 0;
        }
        return (double) correct / labels.length;
    }

    /** Rows scored per chunk by {@link #accuracy(FeatureRows, int[])}. */
    int CHUNK = 4096;

    /**
     * Fraction of rows whose prediction equals the label, the rows read {@link #CHUNK} at a time
     * (features held in bits are never unpacked whole).
     */
    default double accuracy(FeatureRows features, int[] labels) {
        int n = features.rows();
        int correct = 0;
        for (int start = 0; start < n; start += CHUNK) {
            int[] rows = new int[Math.min(CHUNK, n - start)];
            for (int i = 0; i < rows.length; i++) {
                rows[i] = start + i;
            }
            int[] predicted = predict(features.gather(rows));
            for (int i = 0; i < rows.length; i++) {
                correct += predicted[i] == labels[rows[i]] ? 1 : 0;
            }
        }
        return (double) correct / n;
    }

    /** Index of the largest entry of row {@code i} of a row-major {@code rows×k} array. */
    static int argmaxRow(double[] scores, int i, int k) {
        int best = 0;
        for (int c = 1; c < k; c++) {
            if (scores[i * k + c] > scores[i * k + best]) {
                best = c;
            }
        }
        return best;
    }
}
