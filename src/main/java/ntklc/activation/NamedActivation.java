package ntklc.activation;

/**
 * What every activation of this package shares: its command-line spelling, which determines the
 * function, so it also defines {@link #toString()}, {@link #equals(Object)} and {@link #hashCode()}
 * ({@code Activations.parse("lrelu:0.10").equals(Activations.lrelu(0.1))}). Equality is of
 * spellings: {@code relu} and {@code plinear:0:1} are the same function but not equal.
 */
abstract class NamedActivation implements Activation {
    private final String spec;

    NamedActivation(String spec) {
        this.spec = spec;
    }

    @Override
    public final String spec() {
        return spec;
    }

    @Override
    public final String toString() {
        return spec;
    }

    @Override
    public final boolean equals(Object other) {
        return other instanceof NamedActivation a && a.spec.equals(spec);
    }

    @Override
    public final int hashCode() {
        return spec.hashCode();
    }
}
