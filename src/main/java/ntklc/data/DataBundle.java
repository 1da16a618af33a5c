package ntklc.data;

import java.util.Optional;

/**
 * Data ready for an experiment.
 *
 * @param name the source as written on the command line, e.g. {@code mnist} or {@code gmm-mixed}
 * @param data training and test sets (classes relabelled 0..K−1)
 * @param gmm  for a Gaussian mixture, its population statistics and per-sample ψ; empty for real data
 */
public record DataBundle(String name, TrainTest data, Optional<GmmDraw> gmm) {
    /** The data estimate of τ0 on the training set (docs/theory.md §1.2). */
    public double tau0() {
        return SampleStatistics.tau0(data.train());
    }
}
