package ntklc.nn;

import java.util.List;
import java.util.function.UnaryOperator;

import ntklc.activation.Activation;
import ntklc.activation.Activations;
import ntklc.activation.PointwiseOp;
import ntklc.autograd.Pointwise;
import ntklc.autograd.Variable;

/**
 * An element-wise activation σ between layers (paper Eq. (2)); no parameters. ReLU, tanh and the
 * sigmoid use their float {@link PointwiseOp} (the definition the backends share); any other
 * {@link Activation} is evaluated in double, so a network can use exactly the σ the theory analyses.
 * Both go through the {@link Pointwise} primitive.
 */
public final class ActivationLayer implements Module {
    private final String name;
    private final UnaryOperator<Variable> function;

    private ActivationLayer(String name, UnaryOperator<Variable> function) {
        this.name = name;
        this.function = function;
    }

    public static ActivationLayer relu() {
        return of(PointwiseOp.RELU);
    }

    public static ActivationLayer tanh() {
        return of(PointwiseOp.TANH);
    }

    public static ActivationLayer sigmoid() {
        return of(PointwiseOp.SIGMOID);
    }

    /** {@code op} with its float definition, named by {@link PointwiseOp#opName()}. */
    public static ActivationLayer of(PointwiseOp op) {
        return new ActivationLayer(op.opName(), x -> Pointwise.apply(x, op));
    }

    /** σ applied through its {@link Activation#value} and {@link Activation#derivative}. */
    public static ActivationLayer of(Activation sigma) {
        return new ActivationLayer(sigma.spec(), x -> Pointwise.apply(x, sigma));
    }

    /**
     * The layer for a command-line spelling ({@code relu}, {@code erf}, {@code lrelu:0.1}, …, see
     * {@link Activations#SPELLINGS}): the float {@link PointwiseOp} for {@code relu}, {@code tanh} and
     * {@code sigmoid}, otherwise {@link Activations#parse} evaluated in double.
     *
     * @throws IllegalArgumentException for a spelling {@link Activations#parse} rejects
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
