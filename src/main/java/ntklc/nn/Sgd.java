package ntklc.nn;

import java.util.List;

import ntklc.autograd.Variable;
import ntklc.backend.cpu.SgdMomentum;
import ntklc.tensor.Tensor;

/**
 * Stochastic gradient descent with momentum and L2 weight decay, in the form PyTorch uses:
 * {@code g ← ∇w + λ·w}, {@code v ← μ·v + g}, {@code w ← w − η·v}
 * (learning rate η, momentum μ, weight decay λ; {@code μ = 0} is plain SGD).
 *
 * <p>The velocities {@code v} are exposed ({@link #velocity()}) and can be supplied at
 * construction, so that a checkpoint can save and restore them (train-vgg's exact resume).
 */
public final class Sgd implements Optimizer {
    private final List<Variable> parameters;
    private float lr;
    private final float momentum;
    private final float weightDecay;
    private final List<Tensor> velocity;

    /** SGD starting from zero velocities. */
    public Sgd(List<Variable> parameters, double lr, double momentum, double weightDecay) {
        this(parameters, zeroVelocity(parameters), lr, momentum, weightDecay);
    }

    /**
     * SGD continuing from the given velocities.
     *
     * @param velocity one tensor per parameter, same sizes, kept and Modified by {@link #step}
     */
    public Sgd(List<Variable> parameters, List<Tensor> velocity, double lr, double momentum, double weightDecay) {
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
            SgdMomentum.step(lr, momentum, weightDecay, grad.data(), param.value().data(), velocity.get(p).data());
        }
    }

    /** μ. */
    public float momentum() {
        return momentum;
    }

    /** λ. */
    public float weightDecay() {
        return weightDecay;
    }

    @Override
    public double learningRate() {
        return lr;
    }

    @Override
    public void setLearningRate(double lr) {
        this.lr = (float) Optimizer.checkLearningRate(lr);
    }

    @Override
    public List<Variable> parameters() {
        return parameters;
    }
}
