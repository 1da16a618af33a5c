package ntklc.nn;

import java.util.List;

import ntklc.autograd.Variable;
import ntklc.tensor.Tensor;

/**
 * Stochastic gradient descent with momentum and L2 weight decay, in the form PyTorch uses:
 * {@code g ← ∇w + λ·w}, {@code v ← μ·v + g}, {@code w ← w − η·v}
 * (learning rate η, momentum μ, weight decay λ; {@code μ = 0} is plain SGD).
 */
public final class Sgd implements Optimizer {
    private final List<Variable> parameters;
    private float lr;
    private final float momentum;
    private final float weightDecay;
    private final float[][] velocity;

    public Sgd(List<Variable> parameters, double lr, double momentum, double weightDecay) {
        if (!(lr > 0) || !(momentum >= 0 && momentum < 1) || !(weightDecay >= 0)) {
            throw new IllegalArgumentException("SGD needs lr > 0, momentum in [0, 1), weight decay ≥ 0; got "
                    + lr + ", " + momentum + ", " + weightDecay);
        }
        this.parameters = List.copyOf(parameters);
        this.lr = (float) lr;
        this.momentum = (float) momentum;
        this.weightDecay = (float) weightDecay;
        this.velocity = new float[this.parameters.size()][];
        for (int i = 0; i < velocity.length; i++) {
            velocity[i] = new float[this.parameters.get(i).value().size()];
        }
    }

    @Override
    public void step() {
        for (int p = 0; p < parameters.size(); p++) {
            Variable param = parameters.get(p);
            Tensor grad = param.grad();
            if (grad == null) {
                continue;
            }
            float[] w = param.value().data();
            float[] g = grad.data();
            float[] v = velocity[p];
            for (int i = 0; i < w.length; i++) {
                float gi = g[i] + weightDecay * w[i];
                v[i] = momentum * v[i] + gi;
                w[i] -= lr * v[i];
            }
        }
    }

    @Override
    public double learningRate() {
        return lr;
    }

    @Override
    public void setLearningRate(double lr) {
        if (!(lr > 0)) {
            throw new IllegalArgumentException("learning rate must be > 0, got " + lr);
        }
        this.lr = (float) lr;
    }

    @Override
    public List<Variable> parameters() {
        return parameters;
    }
}
