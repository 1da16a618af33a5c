package ntklc.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import ntklc.autograd.GradCheck;
import ntklc.autograd.SoftmaxCrossEntropy;
import ntklc.autograd.Variable;
import ntklc.data.Dataset;
import ntklc.tensor.Tensor;

/** The MLP end to end: gradient check of the whole network, learning on an easy mixture, determinism, NaN. */
class TrainerTest {
    /**
     * An easy Gaussian mixture: K classes in R^p, class a centred at 3·e_a with identity
     * covariance, classes in random order. The Bayes classifier's error is below 2 % for K = 3
     * (pairwise mean distance 3√2 ≈ 4.2, i.e. about 2.1σ to each boundary).
     */
    static Dataset easyMixture(int n, int p, int k, SplittableRandom rng) {
        Tensor x = Tensor.zeros(n, p);
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            int a = rng.nextInt(k);
            labels[i] = a;
            for (int j = 0; j < p; j++) {
                x.set(i, j, (float) (rng.nextGaussian() + (j == a ? 3 : 0)));
            }
        }
        return new Dataset(x, labels, k);
    }

    @Test
    void wholeReluMlpPassesTheGradientCheck() {
        SplittableRandom rng = new SplittableRandom(21);
        Dataset data = easyMixture(3, 4, 3, rng);
        Sequential model = Mlp.builder(4, 3).hidden(6, 5).build(rng);
        Variable x = Variable.constant(data.x());
        // Kinks: a central difference straddles a ReLU kink when a hidden pre-activation lies within
        // the change one perturbed entry causes (about h·|input| ≈ 1e−2·3 here). Shift each hidden bias
        // so that every pre-activation is at least 0.05 away from 0, and check that it worked.
        double margin = moveAwayFromKinks(model, x);
        assertTrue(margin >= 0.05, "test point too close to a ReLU kink: " + margin);
        GradCheck.Result r = GradCheck.check(() -> SoftmaxCrossEntropy.apply(model.forward(x, true), data.labels()),
                model.parameters(), new SplittableRandom(5), GradCheck.Settings.defaults());
        assertTrue(r.passed(), r.toString());
        assertEquals(4 * 6 + 6 + 6 * 5 + 5 + 5 * 3 + 3, r.checked());
    }

    /**
     * For each hidden layer in turn, adds to every unit's bias the shift in {−1, −0.9, …, 1} that
     * maximises the smallest |pre-activation| over the batch; returns that smallest value over all
     * hidden units after the shifts.
     */
    private static double moveAwayFromKinks(Sequential model, Variable x) {
        double margin = Double.POSITIVE_INFINITY;
        Variable h = x;
        List<Module> layers = model.layers();
        for (int l = 0; l < layers.size(); l++) {
            Module m = layers.get(l);
            if (m instanceof Linear linear && l < layers.size() - 1) {
                Tensor z = linear.forward(h, false).value();
                float[] b = linear.bias().value().data();
                for (int j = 0; j < z.cols(); j++) {
                    double bestShift = 0;
                    double best = -1;
                    for (int s = -10; s <= 10; s++) {
                        double nearest = Double.POSITIVE_INFINITY;
                        for (int i = 0; i < z.rows(); i++) {
                            nearest = Math.min(nearest, Math.abs(z.get(i, j) + 0.1 * s));
                        }
                        if (nearest > best) {
                            best = nearest;
                            bestShift = 0.1 * s;
                        }
                    }
                    b[j] += (float) bestShift;
                    margin = Math.min(margin, best);
                }
            }
            h = m.forward(h, false);
        }
        return margin;
    }

    @Test
    void learnsAnEasyMixture() {
        SplittableRandom rng = new SplittableRandom(7);
        Dataset train = easyMixture(600, 10, 3, rng);
        Dataset test = easyMixture(300, 10, 3, rng);
        Sequential model = Mlp.builder(10, 3).hidden(32).build(rng);
        Trainer trainer = new Trainer(model, new Adam(model.parameters(), 0.01), 32);
        List<Trainer.EpochResult> epochs = new ArrayList<>();
        for (int e = 1; e <= 5; e++) {
            epochs.add(trainer.epoch(e, train, Integer.MAX_VALUE, rng, new Trainer.Listener() { }));
        }
        double accuracy = Trainer.accuracy(model, test, 100);
        // Chance is 1/3 and the Bayes error is under 2 %: a working trainer lands far above 0.9.
        assertTrue(accuracy > 0.9, "test accuracy " + accuracy);
        assertTrue(epochs.get(4).trainLoss() < epochs.get(0).trainLoss(), "loss did not decrease");
        assertEquals(600, epochs.get(0).samples());
    }

    @Test
    void sgdAlsoLearns() {
        SplittableRandom rng = new SplittableRandom(8);
        Dataset train = easyMixture(600, 10, 3, rng);
        Sequential model = Mlp.builder(10, 3).hidden(32).dropout(0.1).build(rng);
        Trainer trainer = new Trainer(model, new Sgd(model.parameters(), 0.05, 0.9, 1e-4), 32);
        for (int e = 1; e <= 5; e++) {
            trainer.epoch(e, train, Integer.MAX_VALUE, rng, new Trainer.Listener() { });
        }
        double accuracy = Trainer.accuracy(model, easyMixture(300, 10, 3, rng), 64);
        assertTrue(accuracy > 0.9, "test accuracy " + accuracy);
    }

    @Test
    void sameSeedSameWeights() {
        float[][] runs = new float[2][];
        for (int r = 0; r < 2; r++) {
            SplittableRandom rng = new SplittableRandom(9);
            Dataset train = easyMixture(200, 5, 3, rng);
            Sequential model = Mlp.builder(5, 3).hidden(8).dropout(0.2).build(rng);
            new Trainer(model, new Adam(model.parameters(), 0.01), 16)
                    .epoch(1, train, Integer.MAX_VALUE, rng, new Trainer.Listener() { });
            runs[r] = model.parameters().get(0).value().data().clone();
        }
        assertArrayEquals(runs[0], runs[1]);
    }

    @Test
    void listenerSeesEveryBatchAndMaxBatchesStopsEarly() {
        SplittableRandom rng = new SplittableRandom(10);
        Dataset train = easyMixture(100, 5, 3, rng);
        Sequential model = Mlp.builder(5, 3).build(rng);
        List<Integer> seen = new ArrayList<>();
        Trainer trainer = new Trainer(model, new Adam(model.parameters(), 0.01), 30);
        // 100 samples in batches of 30: 4 batches (30, 30, 30, 10).
        trainer.epoch(1, train, Integer.MAX_VALUE, rng, new Trainer.Listener() {
            @Override
            public void onBatch(int epoch, int batch, int batches, double loss) {
                assertEquals(4, batches);
                seen.add(batch);
            }
        });
        assertEquals(List.of(0, 1, 2, 3), seen);
        assertEquals(60, trainer.epoch(2, train, 2, rng, new Trainer.Listener() { }).samples());
    }

    @Test
    void nanInputStopsTrainingWithAClearException() {
        SplittableRandom rng = new SplittableRandom(11);
        Dataset train = easyMixture(50, 5, 3, rng);
        train.x().data()[7] = Float.NaN;
        Sequential model = Mlp.builder(5, 3).hidden(4).build(rng);
        Trainer trainer = new Trainer(model, new Adam(model.parameters(), 0.01), 50);
        DivergedLossException e = assertThrows(DivergedLossException.class,
                () -> trainer.epoch(1, train, Integer.MAX_VALUE, rng, new Trainer.Listener() { }));
        assertEquals(1, e.epoch());
        assertTrue(e.getMessage().contains("learning rate"), e.getMessage());
    }
}
