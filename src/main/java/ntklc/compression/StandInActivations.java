package ntklc.compression;

import java.util.ArrayList;
import java.util.List;

import ntklc.activation.Activation;
import ntklc.activation.Moments;

/**
 * The few activations NTK-LC needs, parsed from their command-line spelling, until the theory
 * engineer's {@code ntklc.activation.Activations.parse/parseChain} lands on main.
 *
 * <p>NOTE: stand-in, to be replaced by {@code ntklc.activation.Activations}; spellings are the
 * same: {@code relu}, {@code linear}, {@code binary-zero:s1:s2:a}, {@code binary-last:r1:r2:r3:r4:b1:b2}.
 */
public final class StandInActivations {
    private StandInActivations() {
    }

    /**
     * ReLU σ(u) = max(u, 0) with the closed-form moments of spec §4.2:
     * m0 = τ/√(2π), m1 = ½, m2 = 1/(√(2π)τ), m3 = 1 − 1/π, v = τ²(½ − 1/(2π)), q = ½.
     */
    public record Relu() implements Activation {
        @Override
        public double value(double u) {
            return u > 0 ? u : 0;
        }

        @Override
        public double derivative(double u) {
            return u > 0 ? 1 : 0;
        }

        @Override
        public Moments moments(double tau) {
            double s = Math.sqrt(2 * Math.PI);
            return new Moments(tau, tau / s, 0.5, 1 / (s * tau), 1 - 1 / Math.PI,
                    tau * tau * (0.5 - 0.5 / Math.PI), 0.5);
        }

        @Override
        public String spec() {
            return "relu";
        }
    }

    /** The identity σ(u) = u: m0 = 0, m1 = 1, m2 = 0, m3 = 2 (since (u²)'' = 2), v = τ², q = 1. */
    public record Linear() implements Activation {
        @Override
        public double value(double u) {
            return u;
        }

        @Override
        public double derivative(double u) {
            return 1;
        }

        @Override
        public Moments moments(double tau) {
            return new Moments(tau, 0, 1, 0, 2, tau * tau, 1);
        }

        @Override
        public String spec() {
            return "linear";
        }
    }

    /** Parses one activation; throws IllegalArgumentException with a readable message. */
    public static Activation parse(String text) {
        String t = text.trim();
        String[] parts = t.split(":");
        switch (parts[0]) {
            case "relu":
                expectArity(t, parts, 0);
                return new Relu();
            case "linear":
                expectArity(t, parts, 0);
                return new Linear();
            case "binary-zero":
                expectArity(t, parts, 3);
                return new BinaryZero(num(t, parts[1]), num(t, parts[2]), num(t, parts[3]));
            case "binary-last":
                expectArity(t, parts, 6);
                return new BinaryLast(num(t, parts[1]), num(t, parts[2]), num(t, parts[3]), num(t, parts[4]),
                        num(t, parts[5]), num(t, parts[6]));
            default:
                throw new IllegalArgumentException("unknown activation '" + t
                        + "' (known here: relu, linear, binary-zero:s1:s2:a, binary-last:r1:r2:r3:r4:b1:b2)");
        }
    }

    /** Parses a comma-separated chain, one activation per layer. */
    public static List<Activation> parseChain(String text) {
        List<Activation> out = new ArrayList<>();
        for (String part : text.split(",")) {
            out.add(parse(part));
        }
        return out;
    }

    private static void expectArity(String text, String[] parts, int n) {
        if (parts.length != n + 1) {
            throw new IllegalArgumentException("activation '" + text + "' takes " + n + " parameters");
        }
    }

    private static double num(String text, String part) {
        try {
            return Double.parseDouble(part);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("activation '" + text + "': '" + part + "' is not a number");
        }
    }
}
