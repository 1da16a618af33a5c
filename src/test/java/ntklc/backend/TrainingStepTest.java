package ntklc.backend;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import ntklc.activation.PointwiseOp;
import ntklc.tensor.Tensor;

/**
 * A training step composed from the {@link Backend} operations, all tensors resident on the
 * device: {@code Z = relu(X·W1)·W2}, fused softmax cross-entropy, backward by the chain rule, SGD.
 * On the CPU backend the loss must fall (gradient descent with a small step on a smooth loss);
 * {@code OpenClParityTest} runs the same steps on OpenCL and compares.
 */
public class TrainingStepTest {
    /** Losses of {@code steps} SGD steps (learning rate 0.5) on a fixed random problem, n = 33, p = 17, hidden 40, K = 3. */
    public static double[] losses(Backend be, int steps) {
        SplittableRandom rng = new SplittableRandom(21);
        int n = 33;
        int p = 17;
        int hidden = 40;
        int k = 3;
        Tensor x = random(rng, 1, n, p);
        Tensor labels = Tensor.zeros(n);
        for (int i = 0; i < n; i++) {
            // Labels depend on the inputs (sign pattern of two coordinates), so the loss can fall.
            labels.data()[i] = (x.get(i, 0) > 0 ? 1 : 0) + (x.get(i, 1) > 0 ? 1 : 0);
        }
        double[] out = new double[steps];
        try (DeviceTensor dx = be.upload(x); DeviceTensor dl = be.upload(labels);
             DeviceTensor w1 = be.upload(random(rng, 1 / Math.sqrt(p), p, hidden));
             DeviceTensor w2 = be.upload(random(rng, 1 / Math.sqrt(hidden), hidden, k));
             DeviceTensor h = be.zeros(n, hidden); DeviceTensor a = be.zeros(n, hidden); DeviceTensor z = be.zeros(n, k);
             DeviceTensor dz = be.zeros(n, k); DeviceTensor dw2 = be.zeros(hidden, k); DeviceTensor da = be.zeros(n, hidden);
             DeviceTensor dh = be.zeros(n, hidden); DeviceTensor dw1 = be.zeros(p, hidden)) {
            for (int s = 0; s < steps; s++) {
                be.gemm(false, false, dx, w1, h, false);              // H = X·W1
                be.pointwiseForward(PointwiseOp.RELU, h, a);           // A = relu(H)
                be.gemm(false, false, a, w2, z, false);              // Z = A·W2
                out[s] = be.softmaxCrossEntropy(z, dl, dz);          // loss, dZ
                be.gemm(true, false, a, dz, dw2, false);             // dW2 = Aᵀ·dZ
                be.gemm(false, true, dz, w2, da, false);             // dA = dZ·W2ᵀ
                be.pointwiseBackward(PointwiseOp.RELU, h, da, dh);     // dH = relu'(H)⊙dA
                be.gemm(true, false, dx, dh, dw1, false);            // dW1 = Xᵀ·dH
                be.axpy(-0.5f, dw1, w1);
                be.axpy(-0.5f, dw2, w2);
            }
        }
        return out;
    }

    private static Tensor random(SplittableRandom rng, double scale, int... shape) {
        Tensor t = Tensor.zeros(shape);
        for (int i = 0; i < t.size(); i++) {
            t.data()[i] = (float) (scale * (rng.nextDouble() * 2 - 1));
        }
        return t;
    }

    @Test
    void lossFallsOnTheCpuBackend() {
        double[] l = losses(new CpuBackend(), 8);
        // Property of gradient descent on this problem: the last loss is clearly below the first.
        assertTrue(l[7] < 0.9 * l[0], "losses " + java.util.Arrays.toString(l));
    }
}
