package ntklc.autograd;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.function.Supplier;

import ntklc.tensor.Tensor;

/**
 * Finite-difference gradient checker: compares every entry of the gradient that backward
 * computes with a central difference of the forward pass.
 *
 * <p>Method. A function {@code f} of tensors {@code x_1…x_m} with any output shape is reduced to
 * the scalar {@code L = Σ_k r_k f_k} with fixed random weights {@code r_k ~ U(−1, 1)} (a random
 * vector-Jacobian product, so every output entry is tested at once). The analytic gradient is
 * {@code backward(r)}. The numeric one perturbs one input entry {@code u} to {@code u ± h}, rounds
 * the perturbed value to float, evaluates the float forward pass, sums {@code L} in double and
 * divides by the actual float step: {@code (L(u⁺) − L(u⁻)) / (u⁺ − u⁻)}.
 *
 * <p>Error measure per entry, with analytic {@code a} and numeric {@code g}:
 * {@code e = |a − g| / max(|a|, |g|, floor)} — a relative error where the gradient is large and an
 * absolute one (scaled by {@code 1/floor}) where it is near 0, so float32 rounding noise in tiny
 * entries does not count as a failure. The check passes when every {@code e ≤ tolerance}.
 *
 * <p>NOTE: a central difference straddling a kink (ReLU at 0) measures an average slope, not the
 * derivative; callers keep inputs at least a few {@code h} away from kinks. Stochastic functions
 * (dropout) must draw the same randomness on every call, i.e. create their generator inside
 * {@code f} from a fixed seed.
 */
public final class GradCheck {
    private GradCheck() {
    }

    /**
     * Settings of a check.
     *
     * @param step      {@code h}, the perturbation of one entry
     * @param tolerance largest accepted error {@code e}
     * @param floor     absolute floor of the denominator of {@code e}
     */
    public record Settings(double step, double tolerance, double floor) {
        /**
         * Defaults for float32 forward passes on inputs of order 1: {@code h = 1e−2} balances the
         * truncation error {@code O(h²)} of the central difference against float rounding
         * ({@code ~6e−8·|L| / h}); tolerance 1e−2 and floor 1e−2.
         */
        public static Settings defaults() {
            return new Settings(1e-2, 1e-2, 1e-2);
        }
    }

    /**
     * Outcome of a check: the worst entry and whether every entry passed.
     *
     * @param maxError  largest error {@code e} over all checked entries
     * @param input     index of the input holding the worst entry
     * @param index     flat index of the worst entry in that input
     * @param analytic  the gradient from backward at that entry
     * @param numeric   the central difference at that entry
     * @param checked   number of entries compared
     * @param passed    {@code maxError ≤ tolerance}
     */
    public record Result(double maxError, int input, int index, double analytic, double numeric, int checked,
                         boolean passed) {
        @Override
        public String toString() {
            return String.format(java.util.Locale.ROOT,
                    "max error %.3g at input %d entry %d (analytic %.6g, numeric %.6g) over %d entries: %s",
                    maxError, input, index, analytic, numeric, checked, passed ? "passed" : "FAILED");
        }
    }

    /**
     * Checks the gradient of {@code f} with respect to its inputs, at {@code inputs}.
     *
     * @param f      builds the graph from one variable per input (must not modify the inputs' values)
     * @param inputs the point of evaluation (Not modified: copies are perturbed)
     * @param rng    draws the projection weights {@code r} (Modified)
     */
    public static Result check(Function<List<Variable>, Variable> f, List<Tensor> inputs, SplittableRandom rng,
                               Settings settings) {
        List<Variable> vars = new ArrayList<>();
        for (Tensor t : inputs) {
            vars.add(Variable.parameter(t.copy()));
        }
        return check(() -> f.apply(vars), vars, rng, settings);
    }

    /**
     * Checks the gradient of {@code f} with respect to the given leaf variables (e.g. every
     * parameter of a network, with its data fixed inside {@code f}). Their values are perturbed in
     * place and restored; their gradients are overwritten.
     *
     * @param f   rebuilds the graph from the current values on every call
     * @param wrt leaf variables that require a gradient (values Modified during the check, then restored)
     * @param rng draws the projection weights {@code r} (Modified)
     */
    public static Result check(Supplier<Variable> f, List<Variable> wrt, SplittableRandom rng, Settings settings) {
        for (Variable v : wrt) {
            if (!v.requiresGrad() || v.creator() != null) {
                throw new IllegalArgumentException("gradient check needs leaf variables that require a gradient");
            }
            v.zeroGrad();
        }
        Variable out = f.get();
        Tensor r = Tensor.zeros(out.value().shape());
        for (int k = 0; k < r.size(); k++) {
            r.data()[k] = (float) (2 * rng.nextDouble() - 1);
        }
        out.backward(r);

        double worst = -1;
        int worstInput = -1;
        int worstIndex = -1;
        double worstA = Double.NaN;
        double worstG = Double.NaN;
        int checked = 0;
        for (int i = 0; i < wrt.size(); i++) {
            Tensor grad = wrt.get(i).grad();
            float[] x = wrt.get(i).value().data();
            for (int j = 0; j < x.length; j++) {
                float saved = x[j];
                float up = (float) (saved + settings.step());
                float down = (float) (saved - settings.step());
                x[j] = up;
                double lUp = project(f, r);
                x[j] = down;
                double lDown = project(f, r);
                x[j] = saved;
                double numeric = (lUp - lDown) / ((double) up - (double) down);
                double analytic = grad == null ? 0 : grad.data()[j];
                double e = Math.abs(analytic - numeric)
                        / Math.max(settings.floor(), Math.max(Math.abs(analytic), Math.abs(numeric)));
                if (Double.isNaN(e)) {
                    e = Double.POSITIVE_INFINITY;
                }
                checked++;
                if (e > worst) {
                    worst = e;
                    worstInput = i;
                    worstIndex = j;
                    worstA = analytic;
                    worstG = numeric;
                }
            }
        }
        return new Result(Math.max(worst, 0), worstInput, worstIndex, worstA, worstG, checked,
                worst <= settings.tolerance());
    }

    /** {@code L = Σ_k r_k f_k(point)}, summed in double. */
    private static double project(Supplier<Variable> f, Tensor r) {
        float[] out = f.get().value().data();
        float[] rs = r.data();
        double l = 0;
        for (int k = 0; k < out.length; k++) {
            l += (double) rs[k] * out[k];
        }
        return l;
    }
}
