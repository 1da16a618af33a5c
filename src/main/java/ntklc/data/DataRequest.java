package ntklc.data;

import java.nio.file.Path;

/**
 * What a command asks of a {@link DataSource}.
 *
 * @param dataDir     folder holding the real data sets ({@code --data-dir}, default {@code data/})
 * @param classes     original class labels to keep, in the order that defines the new labels
 *                    0..K−1 (docs/theory.md §1.3 step 2, the reference code's "selected_target"); empty keeps all. For a Gaussian
 *                    mixture it must be 0..K−1 (empty: K = 2 or the number of proportions)
 * @param nTrain      training samples T (per class ⌊c_k·T⌋, docs/theory.md §1.3); ≤ 0 keeps all (real data)
 * @param nTest       test samples, likewise
 * @param proportions class proportions c_k; empty means equal classes
 * @param p           input dimension of a Gaussian mixture (ignored by real data)
 * @param preprocess  normalisation of real data
 */
public record DataRequest(Path dataDir, int[] classes, int nTrain, int nTest, double[] proportions, int p,
        Preprocess preprocess) {
}
