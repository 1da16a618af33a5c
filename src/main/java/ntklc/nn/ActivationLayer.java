package ntklc.nn;

import java.util.List;
import java.util.function.UnaryOperator;

import ntklc.activation.Activation;
import ntklc.activation.Activations;
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

    /**
     * The layer for a command-line spelling ({@code relu}, {@code erf}, {@code lrelu:0.1}, …, see
     * {@link Activations#SPELLINGS}): the dedicated primitive for {@code relu}, {@code tanh} and
     * {@code sigmoid}, otherwise {@link Activations#parse} through {@link Pointwise}.
     *
     * @throws ntklc.cli.UserError for a spelling {@link Activations#parse} rejects
     */
    public static ActivationLayer parse(String spec) {
        return switch (spec.trim()) {
            case "relu" -> relu();
            case "tanh" -> tanh();
            case "sigmoid" -> sigmoid();
            default -> of(Activations.parse(spec));
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

    /** The activation's name ({@code relu}, or the {@code spec()} spelling of a general activation). */
    public String name() {
        return name;
    }
}
