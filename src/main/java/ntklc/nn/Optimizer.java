package ntklc.nn;

import java.util.List;

import ntklc.autograd.Variable;

/** Updates parameters in place from their accumulated gradients. */
public interface Optimizer {
    /** One update of every parameter that has a gradient (parameter values Modified). */
    void step();

    /** The current learning rate η. */
    double learningRate();

    /** Sets the learning rate η used by the following steps (learning-rate schedules); {@code lr > 0}. */
    void setLearningRate(double lr);

    /** The parameters this optimizer updates, in order. */
    List<Variable> parameters();

    /**
     * Returns {@code lr} when it is a valid learning rate ({@code lr > 0}, not NaN), for the
     * {@link #setLearningRate} of every optimizer.
     *
     * @throws IllegalArgumentException otherwise
     */
    static double checkLearningRate(double lr) {
        if (!(lr > 0)) {
            throw new IllegalArgumentException("learning rate must be > 0, got " + lr);
        }
        return lr;
    }

    /** Forgets every parameter's gradient before the next backward pass. */
    default void zeroGrad() {
        for (Variable v : parameters()) {
            v.zeroGrad();
        }
    }
}
