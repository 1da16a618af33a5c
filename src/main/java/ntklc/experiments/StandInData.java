package ntklc.experiments;

import java.util.SplittableRandom;

import ntklc.data.Dataset;
import ntklc.data.TrainTest;
import ntklc.tensor.Tensor;

/**
 * Gaussian-mixture data for {@code compress} and {@code activations} until the data engineer's
 * {@code ntklc.data.DataSource} lands on main (NOTE: stand-in, same definitions): spec §2.2,
 * class a ∈ {0..K−1} in contiguous blocks, {@code x_i = (μ_a + z_i)/√p}, {@code z_i ~ N(0, s_a I_p)};
 * {@code gmm-mixed}: μ_a = 8·e_{8a}, s_a = 1 + 8a/√p; {@code gmm-var}: μ_a = 0, same s_a.
 * Training and test sets are independent draws.
 */
final class StandInData {
    private StandInData() {
    }

    static TrainTest gmm(String name, int numClasses, int perClassTrain, int perClassTest, int p, SplittableRandom rng) {
        boolean mixed = switch (name) {
            case "gmm-mixed" -> true;
            case "gmm-var" -> false;
            default -> throw new IllegalArgumentException("not a Gaussian mixture: " + name);
        };
        if (mixed && 8 * (numClasses - 1) >= p) {
            throw new IllegalArgumentException("gmm-mixed needs p > 8(K−1)");
        }
        SplittableRandom trainRng = rng.split();
        SplittableRandom testRng = rng.split();
        return new TrainTest(draw(mixed, numClasses, perClassTrain, p, trainRng),
                draw(mixed, numClasses, perClassTest, p, testRng));
    }

    private static Dataset draw(boolean mixed, int k, int perClass, int p, SplittableRandom rng) {
        int n = k * perClass;
        Tensor x = Tensor.zeros(n, p);
        int[] labels = new int[n];
        double invSqrtP = 1 / Math.sqrt(p);
        for (int i = 0; i < n; i++) {
            int a = i / perClass;
            labels[i] = a;
            double sd = Math.sqrt(1 + 8.0 * a / Math.sqrt(p));
            for (int j = 0; j < p; j++) {
                double mean = mixed && j == 8 * a ? 8 : 0;
                x.set(i, j, (float) ((mean + sd * rng.nextGaussian()) * invSqrtP));
            }
        }
        return new Dataset(x, labels, k);
    }
}
