package ntklc.nn;

import java.util.List;

import ntklc.autograd.Variable;
import ntklc.tensor.Tensor;

/**
 * Adam (Kingma and Ba, ICLR 2015, Algorithm 1) with optional L2 weight decay added to the
 * gradient: at step {@code t = 1, 2, …}
 * {@code g ← ∇w + λ·w}, {@code m ← β1·m + (1−β1)·g}, {@code v ← β2·v + (1−β2)·g²},
 * {@code w ← w − η·m̂ / (√v̂ + ε)} with {@code m̂ = m/(1−β1^t)}, {@code v̂ = v/(1−β2^t)}.
 */
public final class Adam implements Optimizer {
    private final List<Variable> parameters;
    private double lr;
    private final double beta1;
    private final double beta2;
    private final double epsilon;
    private final float weightDecay;
    private final float[][] m;
    private final float[][] v;
    private int t;

    /** The paper's defaults β1 = 0.9, β2 = 0.999, ε = 1e−8, no weight decay. */
    public Adam(List<Variable> parameters, double lr) {
        this(parameters, lr, 0.9, 0.999, 1e-8, 0);
    }

    public Adam(List<Variable> parameters, double lr, double beta1, double beta2, double epsilon, double weightDecay) {
        if (!(lr > 0) || !(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1) || !(epsilon > 0)
                || !(weightDecay >= 0)) {
            throw new IllegalArgumentException("Adam needs lr > 0, β1, β2 in [0, 1), ε > 0, weight decay ≥ 0");
        }
        this.parameters = List.copyOf(parameters);
        this.lr = lr;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
        this.weightDecay = (float) weightDecay;
        this.m = new float[this.parameters.size()][];
        this.v = new float[this.parameters.size()][];
        for (int i = 0; i < m.length; i++) {
            m[i] = new float[this.parameters.get(i).value().size()];
            v[i] = new float[this.parameters.get(i).value().size()];
        }
    }

    @Override
    public void step() {
        t++;
        // Bias corrections folded into the step size and ε (Kingma and Ba, §2, last paragraph):
        // η·m̂/(√v̂ + ε) = η_t·m/(√v + ε_t) with η_t = η·√(1−β2^t)/(1−β1^t), ε_t = ε·√(1−β2^t).
        double c2 = Math.sqrt(1 - Math.pow(beta2, t));
        float stepSize = (float) (lr * c2 / (1 - Math.pow(beta1, t)));
        float eps = (float) (epsilon * c2);
        float b1 = (float) beta1;
        float b2 = (float) beta2;
        for (int p = 0; p < parameters.size(); p++) {
            Variable param = parameters.get(p);
            Tensor grad = param.grad();
            if (grad == null) {
                continue;
            }
            float[] w = param.value().data();
            float[] g = grad.data();
            float[] mp = m[p];
            float[] vp = v[p];
            for (int i = 0; i < w.length; i++) {
                float gi = g[i] + weightDecay * w[i];
                mp[i] = b1 * mp[i] + (1 - b1) * gi;
                vp[i] = b2 * vp[i] + (1 - b2) * gi * gi;
                w[i] -= stepSize * mp[i] / ((float) Math.sqrt(vp[i]) + eps);
            }
        }
    }

    @Override
    public double learningRate() {
        return lr;
    }

    @Override
    public void setLearningRate(double lr) {
        this.lr = Optimizer.checkLearningRate(lr);
    }

    @Override
    public List<Variable> parameters() {
        return parameters;
    }

    /** Number of steps taken. */
    public int steps() {
        return t;
    }
}
