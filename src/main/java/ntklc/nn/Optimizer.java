package ntklc.nn;

import java.util.List;

import ntklc.autograd.Variable;

/** Updates parameters in place from their accumulated gradients. */
public interface Optimizer {
    /** One update of every parameter that has a gradient (parameter values Modified). */
    void step();

    /** The parameters this optimizer updates, in order. */
    List<Variable> parameters();

    /** Forgets every parameter's gradient before the next backward pass. */
    default void zeroGrad() {
        for (Variable v : parameters()) {
            v.zeroGrad();
        }
    }
}
