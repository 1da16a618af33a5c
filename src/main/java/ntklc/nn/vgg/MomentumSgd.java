package ntklc.nn.vgg;

import java.util.List;

import ntklc.autograd.Variable;
import ntklc.nn.Optimizer;
import ntklc.tensor.Tensor;

/**
 * SGD with momentum and L2 weight decay in PyTorch's form (the optimiser of spec §2.5: η = 0.01,
 * μ = 0.9, λ = 5e-4): {@code g ← ∇w + λ·w}, {@code v ← μ·v + g}, {@code w ← w − η·v}.
 *
 * <p>The same update as {@link ntklc.nn.Sgd}, plus what a resumable, scheduled run needs and that
 * class does not expose: a learning rate that can change between epochs
 * ({@link #setLearningRate}) and the velocities {@code v}, which a checkpoint saves and restores.
 */
public final class MomentumSgd implements Optimizer {
    private final List<Variable> parameters;
    private final float momentum;
    private final float weightDecay;
    private final List<Tensor> velocity;
    private float lr;

    /**
     * @param velocity one tensor per parameter, same sizes, kept and Modified (zeros for a fresh run,
     *                 a checkpoint's for a resumed one)
     */
    public MomentumSgd(List<Variable> parameters, List<Tensor> velocity, double lr, double momentum,
                       double weightDecay) {
        if (!(lr > 0) || !(momentum >= 0 && momentum < 1) || !(weightDecay >= 0)) {
            throw new IllegalArgumentException("SGD needs lr > 0, momentum in [0, 1), weight decay ≥ 0; got "
                    + lr + ", " + momentum + ", " + weightDecay);
        }
        if (velocity.size() != parameters.size()) {
            throw new IllegalArgumentException(velocity.size() + " velocities for " + parameters.size() + " parameters");
        }
        for (int i = 0; i < velocity.size(); i++) {
            if (velocity.get(i).size() != parameters.get(i).value().size()) {
                throw new IllegalArgumentException("velocity " + i + " has shape " + velocity.get(i).shapeString()
                        + ", parameter " + parameters.get(i).value().shapeString());
            }
        }
        this.parameters = List.copyOf(parameters);
        this.velocity = List.copyOf(velocity);
        this.lr = (float) lr;
        this.momentum = (float) momentum;
        this.weightDecay = (float) weightDecay;
    }

    /** Zero velocities shaped like {@code parameters}. */
    public static List<Tensor> zeroVelocity(List<Variable> parameters) {
        return parameters.stream().map(p -> Tensor.zeros(p.value().shape())).toList();
    }

    @Override
    public double learningRate() {
        return lr;
    }

    /** Sets {@code η} for the following steps. */
    @Override
    public void setLearningRate(double lr) {
        if (!(lr >= 0)) {
            throw new IllegalArgumentException("learning rate must be ≥ 0, got " + lr);
        }
        this.lr = (float) lr;
    }

    /** The velocities {@code v}, one per parameter (live: Modified by {@link #step}). */
    public List<Tensor> velocity() {
        return velocity;
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
            float[] v = velocity.get(p).data();
            for (int i = 0; i < w.length; i++) {
                float gi = g[i] + weightDecay * w[i];
                v[i] = momentum * v[i] + gi;
                w[i] -= lr * v[i];
            }
        }
    }

    @Override
    public List<Variable> parameters() {
        return parameters;
    }
}
