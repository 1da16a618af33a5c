package ntklc.activation;

import java.util.function.DoubleUnaryOperator;

/**
 * A smooth activation without closed-form Gaussian moments (tanh, sigmoid): value and derivative
 * are given as functions and {@link #moments(double)} is the quadrature path of
 * {@link GaussianMoments#byQuadrature} (docs/theory.md §3.1, §3.2).
 */
public final class Smooth extends NamedActivation {
    private final DoubleUnaryOperator value;
    private final DoubleUnaryOperator derivative;

    Smooth(String spec, DoubleUnaryOperator value, DoubleUnaryOperator derivative) {
        super(spec);
        this.value = value;
        this.derivative = derivative;
    }

    @Override
    public double value(double u) {
        return value.applyAsDouble(u);
    }

    @Override
    public double derivative(double u) {
        return derivative.applyAsDouble(u);
    }

    @Override
    public Moments moments(double tau) {
        return GaussianMoments.byQuadrature(this, tau);
    }


}
