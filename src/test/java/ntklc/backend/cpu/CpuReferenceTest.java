package ntklc.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static ntklc.tensor.TestTensors.uniform;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import ntklc.activation.PointwiseOp;
import ntklc.tensor.Tensor;

/**
 * The CPU reference kernels against independent oracles: direct loops in double precision written
 * from the defining sums (a second implementation, not im2col), hand-computed values, and central
 * finite differences of a scalar loss for the backward passes.
 */
class CpuReferenceTest {
    /** y[n,k,h,v] = Σ_{c,i,j} w[k,c,i,j]·x[n,c,h+i−1,v+j−1], straight from the definition, in double. */
    static double[] directConv(Tensor x, Tensor w) {
        int n = x.dim(0);
        int c = x.dim(1);
        int h = x.dim(2);
        int wd = x.dim(3);
        int k = w.dim(0);
        double[] y = new double[n * k * h * wd];
        for (int a = 0; a < n; a++) {
            for (int o = 0; o < k; o++) {
                for (int r = 0; r < h; r++) {
                    for (int s = 0; s < wd; s++) {
                        double acc = 0;
                        for (int q = 0; q < c; q++) {
                            for (int i = 0; i < 3; i++) {
                                for (int j = 0; j < 3; j++) {
                                    int rr = r + i - 1;
                                    int ss = s + j - 1;
                                    if (rr >= 0 && rr < h && ss >= 0 && ss < wd) {
                                        acc += (double) w.data()[((o * c + q) * 3 + i) * 3 + j]
                                                * x.data()[((a * c + q) * h + rr) * wd + ss];
                                    }
                                }
                            }
                        }
                        y[((a * k + o) * h + r) * wd + s] = acc;
                    }
                }
            }
        }
        return y;
    }

    /**
     * Odd sizes, a single pixel row/column, batch 1, a batch larger than the core count, and
     * 70·9 = 630 rows of im2col (more than one block of the GEMM's depth).
     */
    private static final int[][] CONV_SHAPES = {{1, 1, 1, 1, 1}, {1, 3, 5, 7, 2}, {3, 5, 4, 1, 7}, {5, 2, 6, 6, 3}, {2, 17, 9, 11, 5},
        {3, 70, 5, 6, 4}};

    @Test
    void convolutionForwardMatchesTheDefinition() {
        SplittableRandom rng = new SplittableRandom(1);
        for (int[] s : CONV_SHAPES) {
            Tensor x = uniform(rng, s[0], s[1], s[2], s[3]);
            Tensor w = uniform(rng, s[4], s[1], 3, 3);
            assertForwardMatchesDefinition(x, w, "shape " + java.util.Arrays.toString(s));
        }
    }

    private static void assertForwardMatchesDefinition(Tensor x, Tensor w, String label) {
        double[] ref = directConv(x, w);
        float[] got = Conv3x3.forward(x, w).data();
        // Float dot products of length 9C with |terms| ≤ 1: |error| ≤ 9C·2⁻²³ (Higham Eq. (3.11)) plus slack.
        double tol = 9 * x.dim(1) * 0x1p-23 * 2;
        for (int i = 0; i < ref.length; i++) {
            assertEquals(ref[i], got[i], tol, label + " at " + i);
        }
    }

    /** L(x, w) = Σ g·conv(x, w) in double; its gradients are the two backward passes contracted with g. */
    private static double loss(Tensor x, Tensor w, Tensor g) {
        double[] y = directConv(x, w);
        double l = 0;
        for (int i = 0; i < y.length; i++) {
            l += y[i] * g.data()[i];
        }
        return l;
    }

    @Test
    void convolutionBackwardPassesMatchFiniteDifferences() {
        SplittableRandom rng = new SplittableRandom(2);
        int[][] shapes = {{1, 2, 3, 4, 3}, {2, 3, 5, 1, 2}};
        for (int[] s : shapes) {
            Tensor x = uniform(rng, s[0], s[1], s[2], s[3]);
            Tensor w = uniform(rng, s[4], s[1], 3, 3);
            Tensor g = uniform(rng, s[0], s[4], s[2], s[3]);
            Tensor dx = Conv3x3.backwardData(g, w);
            Tensor dw = Conv3x3.backwardWeights(x, g, s[4]);
            // L is linear in each argument, so a central difference with step 1/4 is exact up to
            // rounding of the double sums (≈ 1e-15 relative); the float backward passes are off by
            // at most a float dot-product error, ≈ 1e-5 here.
            assertCentralDifferences(x, dx, 1, 0.25f, () -> loss(x, w, g), 1e-4, "dx");
            assertCentralDifferences(w, dw, 1, 0.25f, () -> loss(x, w, g), 1e-4, "dw");
        }
    }

    @Test
    void inPlaceBackwardPassesOverwriteTheirOutputWithTheReturnedGradients() {
        // The in-place passes (the backend's) against the returning ones, which the finite-difference
        // tests above check. dx: flipped weights in a reused per-thread buffer against a fresh flipped
        // tensor, the same float operations, so equal to the bit; the first shape's weights are the
        // largest, so later calls find a longer buffer holding stale flipped weights. dw: the
        // returning pass starts from zeros, the in-place one from NaN, so every entry must be
        // overwritten. Shapes: im2col and dense.
        SplittableRandom rng = new SplittableRandom(5);
        int[][] shapes = {{2, 6, 4, 3, 7}, {3, 2, 5, 4, 3}, {4, 5, 2, 2, 2}, {2, 1, 1, 1, 1}};
        for (int[] s : shapes) {
            String label = java.util.Arrays.toString(s);
            Tensor x = uniform(rng, s[0], s[1], s[2], s[3]);
            Tensor w = uniform(rng, s[4], s[1], 3, 3);
            Tensor g = uniform(rng, s[0], s[4], s[2], s[3]);
            Tensor dx = Tensor.zeros(s[0], s[1], s[2], s[3]);
            Tensor dw = Tensor.zeros(s[4], s[1], 3, 3);
            java.util.Arrays.fill(dx.data(), Float.NaN);
            java.util.Arrays.fill(dw.data(), Float.NaN);
            Conv3x3.backwardData(g, w, dx);
            Conv3x3.backwardWeights(x, g, dw);
            assertArrayEquals(Conv3x3.backwardData(g, w).data(), dx.data(), 0f, "dx, shape " + label);
            assertArrayEquals(Conv3x3.backwardWeights(x, g, s[4]).data(), dw.data(), 0f, "dw, shape " + label);
        }
        Tensor x = uniform(rng, 2, 3, 4, 4);
        Tensor w = uniform(rng, 5, 3, 3, 3);
        Tensor g = uniform(rng, 2, 5, 4, 4);
        assertThrows(IllegalArgumentException.class, () -> Conv3x3.backwardData(g, w, Tensor.zeros(2, 4, 4, 4)));
        assertThrows(IllegalArgumentException.class, () -> Conv3x3.backwardWeights(x, g, Tensor.zeros(5, 2, 3, 3)));
        assertThrows(IllegalArgumentException.class, () -> Conv3x3.backwardWeights(x, g, Tensor.zeros(4, 3, 3, 3)));
    }

    @Test
    void convolutionOnMapsOfAtMostTwoByTwoMatchesTheDefinition() {
        // The dense path (Conv3x3.isDense: H, W ≤ 2) against the definition: forward within the
        // float dot-product bound as above, both backward passes by central differences of the
        // linear loss (exact up to double rounding; the float passes are off by ≈ 1e-5 here).
        SplittableRandom rng = new SplittableRandom(3);
        int[][] shapes = {{3, 5, 2, 2, 4}, {2, 3, 1, 2, 3}, {4, 2, 2, 1, 5}, {2, 6, 1, 1, 3}, {70, 9, 2, 2, 11}};
        for (int[] s : shapes) {
            assertTrue(Conv3x3.isDense(s[2], s[3]));
            Tensor x = uniform(rng, s[0], s[1], s[2], s[3]);
            Tensor w = uniform(rng, s[4], s[1], 3, 3);
            assertForwardMatchesDefinition(x, w, "forward, shape " + java.util.Arrays.toString(s));
            Tensor g = uniform(rng, s[0], s[4], s[2], s[3]);
            Tensor dx = Conv3x3.backwardData(g, w);
            Tensor dw = Conv3x3.backwardWeights(x, g, s[4]);
            // dw sums over the batch: its float error grows with the N·P terms (70·4 for the last shape).
            double tolFd = 1e-4 * Math.max(1, s[0] / 4.0);
            String label = java.util.Arrays.toString(s);
            // Every x entry for the small shapes, a sample of 40 for the batch of 70.
            assertCentralDifferences(x, dx, Math.max(1, x.size() / 40), 0.25f, () -> loss(x, w, g), tolFd, "dx, shape " + label);
            assertCentralDifferences(w, dw, 1, 0.25f, () -> loss(x, w, g), tolFd, "dw, shape " + label);
        }
    }

    /**
     * For every {@code stride}-th entry of {@code param}: the central difference
     * {@code (L(p + h) − L(p − h))/(2h)} of {@code loss} with step {@code hstep} (exact for a loss
     * linear in {@code param} at h = 1/4, up to double rounding) equals {@code grad} within
     * {@code tol}. {@code param} is restored.
     */
    private static void assertCentralDifferences(Tensor param, Tensor grad, int stride, float hstep,
                                                 java.util.function.DoubleSupplier loss, double tol, String label) {
        for (int i = 0; i < param.size(); i += stride) {
            float keep = param.data()[i];
            param.data()[i] = keep + hstep;
            double up = loss.getAsDouble();
            param.data()[i] = keep - hstep;
            double down = loss.getAsDouble();
            param.data()[i] = keep;
            assertEquals((up - down) / (2 * hstep), grad.data()[i], tol, label + " at " + i);
        }
    }

    @Test
    void convolutionRefusesMismatchedWeights() {
        assertThrows(IllegalArgumentException.class, () -> Conv3x3.forward(Tensor.zeros(1, 2, 3, 3), Tensor.zeros(4, 3, 3, 3)));
    }

    @Test
    void maxPoolOnAHandExample() {
        // One 3×4 plane (odd height: the last row is dropped). Windows: {1,5,2,0}→5 at 1, {3,3,4,9}→9 at 3.
        Tensor x = Tensor.wrap(new float[] {1, 5, 3, 3, 2, 0, 4, 9, 7, 7, 7, 7}, 1, 1, 3, 4);
        MaxPool2x2.Result r = MaxPool2x2.forward(x);
        assertArrayEquals(new int[] {1, 1, 1, 2}, r.y().shape());
        assertArrayEquals(new float[] {5, 9}, r.y().data());
        assertArrayEquals(new float[] {1, 3}, r.window().data());
        Tensor dx = MaxPool2x2.backward(Tensor.wrap(new float[] {10, 20}, 1, 1, 1, 2), r.window(), 3, 4);
        assertArrayEquals(new float[] {0, 10, 0, 0, 0, 0, 0, 20, 0, 0, 0, 0}, dx.data());
    }

    @Test
    void batchNormNormalisesAndItsBackwardMatchesFiniteDifferences() {
        SplittableRandom rng = new SplittableRandom(3);
        Tensor x = uniform(rng, 3, 2, 3, 1);
        Tensor gamma = Tensor.wrap(new float[] {1.5f, -0.5f}, 2);
        Tensor beta = Tensor.wrap(new float[] {0.25f, 2f}, 2);
        float eps = 1e-5f;
        BatchNorm2d.Forward f = BatchNorm2d.forward(x, gamma, beta, eps);
        // Property: per channel, (y − β)/γ has mean 0 and (biased) variance σ²/(σ² + ε) ≈ 1.
        for (int c = 0; c < 2; c++) {
            double s = 0;
            double ss = 0;
            for (int n = 0; n < 3; n++) {
                for (int i = 0; i < 3; i++) {
                    double z = (f.y().data()[(n * 2 + c) * 3 + i] - beta.data()[c]) / gamma.data()[c];
                    s += z;
                    ss += z * z;
                }
            }
            assertEquals(0, s / 9, 1e-6);
            assertEquals(1, ss / 9, 1e-3);
        }
        // Backward against central differences of L = Σ g·y (float forward: step 1e-2, tolerance 2e-3).
        Tensor g = uniform(rng, 3, 2, 3, 1);
        BatchNorm2d.Backward b = BatchNorm2d.backward(g, x, gamma, f.mean(), f.invStd());
        java.util.function.DoubleSupplier loss = () -> dot(BatchNorm2d.forward(x, gamma, beta, eps).y(), g);
        assertCentralDifferences(x, b.dx(), 1, 1e-2f, loss, 2e-3, "dx");
        assertCentralDifferences(gamma, b.dGamma(), 1, 1e-2f, loss, 2e-3, "dGamma");
        for (int c = 0; c < 2; c++) {
            double dBeta = 0;
            for (int n = 0; n < 3; n++) {
                for (int i = 0; i < 3; i++) {
                    dBeta += g.data()[(n * 2 + c) * 3 + i];
                }
            }
            // ∂L/∂β_c = Σ g over the channel, exactly (y is affine in β with slope 1).
            assertEquals(dBeta, b.dBeta().data()[c], 1e-5);
        }
    }

    private static double dot(Tensor a, Tensor b) {
        double s = 0;
        for (int i = 0; i < a.size(); i++) {
            s += (double) a.data()[i] * b.data()[i];
        }
        return s;
    }

    @Test
    void softmaxCrossEntropyClosedFormAndGradient() {
        // Uniform logits over K classes: loss = log K exactly, gradient = (1/K − 1[k=y])/N.
        SoftmaxCrossEntropy.Result u = SoftmaxCrossEntropy.compute(Tensor.zeros(2, 4), new int[] {0, 3});
        assertEquals(Math.log(4), u.loss(), 1e-12);
        assertEquals((0.25 - 1) / 2, u.dLogits().get(0, 0), 1e-7);
        assertEquals(0.25 / 2, u.dLogits().get(0, 1), 1e-7);
        // Large logits do not overflow (max subtracted): z = (1000, 0) with label 0 → loss = log(1 + e^−1000) ≈ 0.
        SoftmaxCrossEntropy.Result big = SoftmaxCrossEntropy.compute(Tensor.wrap(new float[] {1000, 0}, 1, 2), new int[] {0});
        assertEquals(0, big.loss(), 1e-12);
        // Gradient against central differences.
        SplittableRandom rng = new SplittableRandom(4);
        Tensor z = uniform(rng, 3, 5);
        int[] labels = {4, 0, 2};
        SoftmaxCrossEntropy.Result r = SoftmaxCrossEntropy.compute(z, labels);
        // Central difference error O(h²·|ℓ'''|) ≤ 1e-4 / 6 per row, plus float rounding.
        assertCentralDifferences(z, r.dLogits(), 1, 1e-2f, () -> SoftmaxCrossEntropy.compute(z, labels).loss(), 1e-4,
                "dLogits");
    }

    @Test
    void pointwiseDerivativesMatchFiniteDifferences() {
        // Points kept away from the ReLU kink at 0.
        float[] xs = {-2.5f, -0.7f, 0.3f, 1.9f};
        for (PointwiseOp op : PointwiseOp.values()) {
            for (float x : xs) {
                double h = 1e-3;
                double fd = (op.apply((float) (x + h)) - op.apply((float) (x - h))) / (2 * h);
                assertEquals(fd, op.derivative(x), 1e-3, op + " at " + x);
            }
        }
        assertEquals(0.5f, PointwiseOp.SIGMOID.apply(0f), 0f); // σ(0) = 1/2 exactly
        assertEquals(0f, PointwiseOp.RELU.apply(-3f), 0f);
    }
}
