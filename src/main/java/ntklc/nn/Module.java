package ntklc.nn;

import java.util.List;

import ntklc.autograd.Variable;

/**
 * A layer or a network: maps a batch {@code n×d_in} to {@code n×d_out} and owns its trainable
 * parameters.
 */
public interface Module {
    /**
     * Builds the forward graph for one batch.
     *
     * @param x        {@code n×d_in}, one sample per row
     * @param training true while training (dropout active), false for evaluation
     * @return {@code n×d_out}
     */
    Variable forward(Variable x, boolean training);

    /** The trainable parameters, in a fixed order (optimizers keep their state in that order). */
    List<Variable> parameters();
}
