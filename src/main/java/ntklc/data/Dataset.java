package ntklc.data;

import ntklc.tensor.Tensor;

/**
 * A labelled sample set: {@code x} is {@code n×p} (one sample per row, see {@link Tensor}),
 * {@code labels[i] ∈ {0, …, numClasses−1}} is the class of row {@code i}.
 */
public record Dataset(Tensor x, int[] labels, int numClasses) implements Samples {
    public Dataset {
        x.requireRank(2);
        if (labels.length != x.rows()) {
            throw new IllegalArgumentException(x.rows() + " samples but " + labels.length + " labels");
        }
        for (int label : labels) {
            if (label < 0 || label >= numClasses) {
                throw new IllegalArgumentException("label " + label + " outside 0.." + (numClasses - 1));
            }
        }
    }

    /** Number of samples n. */
    public int n() {
        return x.rows();
    }

    /** Input dimension p. */
    public int p() {
        return x.cols();
    }

    @Override
    public void row(int i, float[] dst) {
        System.arraycopy(x.data(), i * x.cols(), dst, 0, x.cols());
    }
}
