package ntklc.backend.cpu;

/**
 * One step of stochastic gradient descent with momentum and L2 weight decay, in PyTorch's form,
 * on flat arrays: the CPU reference for {@code sgd_step} of {@code kernels/elementwise.cl} and the
 * arithmetic of {@link ntklc.nn.Sgd}.
 * <pre>
 *   g_i ← ∇_i + λ·w_i,    v_i ← μ·v_i + g_i,    w_i ← w_i − η·v_i
 * </pre>
 * (learning rate η, momentum μ, weight decay λ), evaluated in float in exactly this order.
 */
public final class SgdMomentum {
    private SgdMomentum() {
    }

    /**
     * @param grad     ∇, read
     * @param weight   w (Modified)
     * @param velocity v (Modified)
     */
    public static void step(float lr, float momentum, float weightDecay, float[] grad, float[] weight, float[] velocity) {
        if (grad.length != weight.length || velocity.length != weight.length) {
            throw new IllegalArgumentException("SGD step: gradient, weight and velocity sizes differ ("
                    + grad.length + ", " + weight.length + ", " + velocity.length + ")");
        }
        for (int i = 0; i < weight.length; i++) {
            float gi = grad[i] + weightDecay * weight[i];
            velocity[i] = momentum * velocity[i] + gi;
            weight[i] -= lr * velocity[i];
        }
    }
}
