package ntklc.activation;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The activations users name on the command line, as one-line specialisations of the families
 * ({@link PiecewiseLinear}, {@link PiecewiseConstant}, {@link Polynomial}, {@link Sinusoid},
 * {@link ErrorFunction}, {@link Smooth}), and the parser of their spellings.
 *
 * <p>Spellings ({@link #SPELLINGS}): parameters follow the name, separated by ':'. A chain of
 * layers separates activations by ',' ({@link #parseChain}), e.g. {@code relu,relu,binary-zero:1:2:2.4}.
 */
public final class Activations {
    private Activations() {
    }

    /** Every accepted spelling, for help texts and error messages. */
    public static final String SPELLINGS = "relu, tanh, erf, sin, cos, abs, sigmoid, sign, step, linear, "
            + "lrelu:<negative slope>, plinear:<negative slope>:<positive slope>, poly:<c2>:<c1>:<c0>, "
            + "binary-zero:<s1>:<s2>:<a>, binary-last:<r1>:<r2>:<r3>:<r4>:<b1>:<b2>, "
            + "staircase:<t_1>:…:<t_K>:<c_0>:…:<c_K>";

    private static final Set<String> NAMES = Set.of("relu", "tanh", "erf", "sin", "cos", "abs", "sigmoid", "sign",
            "step", "linear", "lrelu", "plinear", "poly", "binary-zero", "binary-last", "staircase");

    /** max(u, 0). */
    public static Activation relu() {
        return new PiecewiseLinear(0, 1, "relu");
    }

    /** Leaky ReLU: u for u ≥ 0, s·u for u &lt; 0. */
    public static Activation lrelu(double negativeSlope) {
        return new PiecewiseLinear(negativeSlope, 1, "lrelu:" + format(negativeSlope));
    }

    /** a·u for u &lt; 0, b·u for u ≥ 0 (the general ReLU family). */
    public static Activation plinear(double negativeSlope, double positiveSlope) {
        return new PiecewiseLinear(negativeSlope, positiveSlope,
                "plinear:" + format(negativeSlope) + ":" + format(positiveSlope));
    }

    /** |u|. */
    public static Activation abs() {
        return new PiecewiseLinear(-1, 1, "abs");
    }

    /** The identity u. */
    public static Activation linear() {
        return new PiecewiseLinear(1, 1, "linear");
    }

    /** c2·u² + c1·u + c0. */
    public static Activation poly(double c2, double c1, double c0) {
        return new Polynomial(c2, c1, c0, "poly:" + format(c2) + ":" + format(c1) + ":" + format(c0));
    }

    /** Heaviside 1{u ≥ 0}. */
    public static Activation step() {
        return new PiecewiseConstant(new double[] {0}, new double[] {0, 1}, "step");
    }

    /** sign(u) ∈ {−1, 1} (+1 at 0). */
    public static Activation sign() {
        return new PiecewiseConstant(new double[] {0}, new double[] {-1, 1}, "sign");
    }

    /** σ_T(u) = a·(1{u &lt; s1} + 1{u &gt; s2}), s1 ≤ s2 (docs/theory.md §3.2, paper Eq. (17)). */
    public static Activation binaryZero(double s1, double s2, double a) {
        return new PiecewiseConstant(new double[] {s1, s2}, new double[] {a, 0, a},
                "binary-zero:" + format(s1) + ":" + format(s2) + ":" + format(a));
    }

    /**
     * σ_Q(u) = b1·(1{u &lt; r1} + 1{u &gt; r4}) + b2·1{r2 ≤ u ≤ r3}, r1 ≤ r2 ≤ r3 ≤ r4 (docs/theory.md §3.2,
     * paper Eq. (17)).
     */
    public static Activation binaryLast(double r1, double r2, double r3, double r4, double b1, double b2) {
        return new PiecewiseConstant(new double[] {r1, r2, r3, r4}, new double[] {b1, 0, b2, 0, b1},
                "binary-last:" + format(r1) + ":" + format(r2) + ":" + format(r3) + ":" + format(r4)
                        + ":" + format(b1) + ":" + format(b2));
    }

    /**
     * The general step function ("staircase") σ(u) = c_i for t_i ≤ u &lt; t_{i+1}: K thresholds
     * t_1 ≤ … ≤ t_K and K + 1 levels c_0 … c_K (a ⌈log2(K+1)⌉-bit activation). Spelling
     * {@code staircase:t_1:…:t_K:c_0:…:c_K}. Not modified: t, c (copied).
     */
    public static Activation staircase(double[] t, double[] c) {
        StringBuilder spec = new StringBuilder("staircase");
        for (double x : t) {
            spec.append(':').append(format(x));
        }
        for (double x : c) {
            spec.append(':').append(format(x));
        }
        return new PiecewiseConstant(t, c, spec.toString());
    }

    /** sin u. */
    public static Activation sin() {
        return new Sinusoid(1, 0, "sin");
    }

    /** cos u. */
    public static Activation cos() {
        return new Sinusoid(0, 1, "cos");
    }

    /** erf u. */
    public static Activation erf() {
        return new ErrorFunction();
    }

    /** tanh u (moments by quadrature). */
    public static Activation tanh() {
        return new Smooth("tanh", Math::tanh, u -> {
            double c = Math.cosh(u);
            return Double.isInfinite(c) ? 0.0 : 1.0 / (c * c);
        });
    }

    /** The logistic sigmoid 1/(1 + e^{−u}) (moments by quadrature). */
    public static Activation sigmoid() {
        return new Smooth("sigmoid", Activations::logistic, u -> {
            double s = logistic(u);
            return s * (1 - s);
        });
    }

    private static double logistic(double u) {
        // Both branches avoid overflow of e^{±u}.
        if (u >= 0) {
            return 1.0 / (1.0 + Math.exp(-u));
        }
        double e = Math.exp(u);
        return e / (1.0 + e);
    }

    /**
     * The activation a user typed, e.g. {@code relu}, {@code lrelu:0.1}, {@code binary-zero:1:2.2:2.4}.
     *
     * @throws IllegalArgumentException for an unknown name, a wrong number of parameters, a parameter
     *                                  that is not a finite number, or parameters out of order
     *                                  (thresholds); the message names the text and what was expected
     */
    public static Activation parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty activation (expected one of: " + SPELLINGS + ")");
        }
        String trimmed = text.trim();
        String[] parts = trimmed.split(":", -1);
        String name = parts[0];
        if (!NAMES.contains(name)) {
            throw new IllegalArgumentException("unknown activation '" + trimmed + "' (expected one of: " + SPELLINGS + ")");
        }
        double[] p = new double[parts.length - 1];
        for (int i = 1; i < parts.length; i++) {
            p[i - 1] = number(trimmed, parts[i]);
        }
        try {
            return switch (name) {
                case "relu" -> none(p, relu());
                case "tanh" -> none(p, tanh());
                case "erf" -> none(p, erf());
                case "sin" -> none(p, sin());
                case "cos" -> none(p, cos());
                case "abs" -> none(p, abs());
                case "sigmoid" -> none(p, sigmoid());
                case "sign" -> none(p, sign());
                case "step" -> none(p, step());
                case "linear" -> none(p, linear());
                case "lrelu" -> lrelu(arity(p, 1, "lrelu:<negative slope>")[0]);
                case "plinear" -> {
                    double[] a = arity(p, 2, "plinear:<negative slope>:<positive slope>");
                    yield plinear(a[0], a[1]);
                }
                case "poly" -> {
                    double[] a = arity(p, 3, "poly:<c2>:<c1>:<c0>");
                    yield poly(a[0], a[1], a[2]);
                }
                case "binary-zero" -> {
                    double[] a = arity(p, 3, "binary-zero:<s1>:<s2>:<a> with s1 ≤ s2");
                    yield binaryZero(a[0], a[1], a[2]);
                }
                case "binary-last" -> {
                    double[] a = arity(p, 6,
                            "binary-last:<r1>:<r2>:<r3>:<r4>:<b1>:<b2> with r1 ≤ r2 ≤ r3 ≤ r4");
                    yield binaryLast(a[0], a[1], a[2], a[3], a[4], a[5]);
                }
                case "staircase" -> {
                    if (p.length < 3 || p.length % 2 == 0) {
                        throw new IllegalArgumentException("expected staircase:<t_1>:…:<t_K>:<c_0>:…:<c_K>"
                                + " (2K + 1 parameters, K ≥ 1, got " + p.length + ")");
                    }
                    int k = p.length / 2;
                    yield staircase(java.util.Arrays.copyOfRange(p, 0, k), java.util.Arrays.copyOfRange(p, k, p.length));
                }
                default -> throw new IllegalArgumentException("unknown activation (expected one of: " + SPELLINGS + ")");
            };
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("activation '" + trimmed + "': " + e.getMessage(), e);
        }
    }

    /**
     * A chain of layers, comma-separated: {@code relu,relu,relu} gives three ReLU layers (layer 1
     * first). Parameters inside one activation use ':' so the two never clash.
     *
     * @throws IllegalArgumentException if the chain is empty, has an empty entry, or an entry does not parse
     */
    public static List<Activation> parseChain(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty activation chain (expected e.g. relu,relu,relu)");
        }
        String[] entries = text.split(",", -1);
        List<Activation> chain = new ArrayList<>(entries.length);
        for (int i = 0; i < entries.length; i++) {
            if (entries[i].isBlank()) {
                throw new IllegalArgumentException("activation chain '" + text + "': entry " + (i + 1) + " is empty");
            }
            chain.add(parse(entries[i]));
        }
        return List.copyOf(chain);
    }

    /** The spelling of a chain, the inverse of {@link #parseChain}. */
    public static String chainSpec(List<Activation> chain) {
        List<String> specs = new ArrayList<>();
        for (Activation a : chain) {
            specs.add(a.spec());
        }
        return String.join(",", specs);
    }

    /** A parameter in its shortest round-trip text: 2 for 2.0, 0.1 for 0.1, 1.0E-5 for 1e−5. */
    static String format(double x) {
        if (x == Math.rint(x) && Math.abs(x) < 1e15) {
            return Long.toString((long) x);
        }
        return Double.toString(x);
    }

    /** Refuses NaN and infinite parameters. */
    static void checkFinite(String spec, double... values) {
        for (double x : values) {
            if (!Double.isFinite(x)) {
                throw new IllegalArgumentException(spec + ": parameters must be finite numbers, got " + x);
            }
        }
    }

    private static double number(String text, String part) {
        try {
            double x = Double.parseDouble(part.trim());
            if (Double.isFinite(x)) {
                return x;
            }
        } catch (NumberFormatException e) {
            // fall through to the error below
        }
        throw new IllegalArgumentException("activation '" + text + "': parameter '" + part + "' is not a finite number");
    }

    private static Activation none(double[] p, Activation a) {
        if (p.length != 0) {
            throw new IllegalArgumentException(a.spec() + " takes no parameters");
        }
        return a;
    }

    private static double[] arity(double[] p, int n, String usage) {
        if (p.length != n) {
            throw new IllegalArgumentException("expected " + usage + " (" + n + " parameter"
                    + (n == 1 ? "" : "s") + ", got " + p.length + ")");
        }
        return p;
    }
}
