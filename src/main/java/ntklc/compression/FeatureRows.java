package ntklc.compression;

import ntklc.tensor.Tensor;
import ntklc.tensor.TensorOps;

/**
 * The last-layer features {@code Σ_Lᵀ} ({@code n×d_L}, one sample per row) as a readout reads
 * them: a dense tensor, or bits unpacked a mini-batch at a time
 * ({@code ntklc.compression.packed.PackedFeatures}), so the training set never has to be held in
 * floats.
 */
public interface FeatureRows {
    /** n. */
    int rows();

    /** d_L. */
    int cols();

    /** The rows {@code rows[0], rows[1], …} as a fresh {@code rows.length×d_L} tensor. */
    Tensor gather(int[] rows);

    /** All rows as one {@code n×d_L} tensor (for a dense tensor: itself, Not to be modified). */
    default Tensor toTensor() {
        int[] all = new int[rows()];
        for (int i = 0; i < all.length; i++) {
            all[i] = i;
        }
        return gather(all);
    }

    /** A dense tensor seen as feature rows (Not modified, not copied). */
    static FeatureRows of(Tensor features) {
        return new FeatureRows() {
            @Override
            public int rows() {
                return features.rows();
            }

            @Override
            public int cols() {
                return features.cols();
            }

            @Override
            public Tensor gather(int[] rows) {
                return TensorOps.gatherRows(features, rows);
            }

            @Override
            public Tensor toTensor() {
                return features;
            }
        };
    }
}
