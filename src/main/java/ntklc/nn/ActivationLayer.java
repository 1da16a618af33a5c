package ntklc.nn;

import java.util.List;
import java.util.function.UnaryOperator;

import ntklc.activation.Activation;
import ntklc.autograd.Pointwise;
import ntklc.autograd.Relu;
import ntklc.autograd.Sigmoid;
import ntklc.autograd.Tanh;
import ntklc.autograd.Variable;

/**
 * An element-wise activation σ between layers (paper Eq. (2)); no parameters. ReLU, tanh and the
 * sigmoid use their dedicated primitives; any other {@link Activation} goes through
 * {@link Pointwise}, so a network can use exactly the σ the theory analyses.
 */
public final class ActivationLayer implements Module {
    private final String name;
    private final UnaryOperator<Variable> function;

    private ActivationLayer(String name, UnaryOperator<Variable> function) {
        this.name = name;
        this.function = function;
    }

    public static ActivationLayer relu() {
        return new ActivationLayer("relu", Relu::apply);
    }

    public static ActivationLayer tanh() {
        return new ActivationLayer("tanh", Tanh::apply);
    }

    public static ActivationLayer sigmoid() {
        return new ActivationLayer("sigmoid", Sigmoid::apply);
    }

    /** σ applied through its {@link Activation#value} and {@link Activation#derivative}. */
    public static ActivationLayer of(Activation sigma) {
        return new ActivationLayer(sigma.spec(), x -> Pointwise.apply(x, sigma));
    }

    /** The built-in layer called {@code relu}, {@code tanh} or {@code sigmoid}; {@code null} for another name. */
    public static ActivationLayer builtIn(String name) {
        return switch (name) {
            case "relu" -> relu();
            case "tanh" -> tanh();
            case "sigmoid" -> sigmoid();
            default -> null;
        };
    }

    @Override
    public Variable forward(Variable x, boolean training) {
        return function.apply(x);
    }

    @Override
    public List<Variable> parameters() {
        return List.of();
    }

    /** The activation's name ({@code relu}, or the spec of a general activation). */
    public String name() {
        return name;
    }
}
