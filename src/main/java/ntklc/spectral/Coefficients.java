package ntklc.spectral;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import ntklc.activation.Activation;
import ntklc.activation.Moments;

/**
 * The per-layer scalars of the random-matrix equivalents K̃_CK (Theorem 1, docs/theory.md §4.1) and K̃_NTK
 * (Theorem 2, docs/theory.md §5.2) of an L-layer network with centred activations σ_1 … σ_L, computed from
 * τ0 alone (the activations enter only through their Gaussian moments at τ_{ℓ−1}).
 *
 * <p>With D1 = m1_ℓ(τ_{ℓ−1})², D2 = m2_ℓ(τ_{ℓ−1})², D3 = m3_ℓ(τ_{ℓ−1}) and q = q_ℓ(τ_{ℓ−1}) (see
 * {@link Moments}), starting from layer 0 = the input:
 * <pre>
 *   τ_0 given,               τ_ℓ  = √v_ℓ(τ_{ℓ−1})              (v = Var σ_ℓ: the centred activation)
 *   α_0 = (1, 0, 0, 1),      α_ℓ1 = D1·α_{ℓ−1,1}
 *                            α_ℓ2 = D1·α_{ℓ−1,2} + ¼·D2·α_{ℓ−1,4}²
 *                            α_ℓ3 = D1·α_{ℓ−1,3} + ½·D2·α_{ℓ−1,1}²
 *                            α_ℓ4 = ½·D3·α_{ℓ−1,4}
 * </pre>
 * and for the NTK, {@link NtkRecursion#RECOMMENDED} (docs/theory.md §5.2, derived and verified numerically there):
 * <pre>
 *   β_0 = (1, 0, 0),  κ_0² = τ_0²
 *   β_ℓ1 = α_ℓ1 + D1·β_{ℓ−1,1}
 *   β_ℓ2 = α_ℓ2 + D1·β_{ℓ−1,2}
 *   β_ℓ3 = α_ℓ3 + D1·β_{ℓ−1,3} + D2·α_{ℓ−1,1}·β_{ℓ−1,1}
 *   κ_ℓ² = τ_ℓ² + κ_{ℓ−1}²·q_ℓ(τ_{ℓ−1})
 * </pre>
 * or {@link NtkRecursion#PREPRINT} (paper May-2022 Eqs. (12), (15)):
 * <pre>
 *   β_ℓ1 = α_ℓ1,  β_ℓ2 = α_ℓ2,  β_ℓ3 = α_ℓ3 + β_{ℓ−1,1}·β_ℓ4,  β_ℓ4 = D2·β_{ℓ−1,4},  β_04 = 1
 *   κ_ℓ² = τ_ℓ² + κ_{ℓ−1}²·q_{ℓ−1}(τ_{ℓ−2})       (index-shifted; q_0 = 1 for the identity input map)
 * </pre>
 * The two agree at layer 1. κ is NaN from the first layer whose q is undefined (steps, σ_T, σ_Q;
 * docs/theory.md §5.2) onwards.
 *
 * @param tau0         τ_0 = √(tr C°/p) (&gt; 0)
 * @param ntkRecursion which β/κ recursion was used
 * @param layers       layers 0 (the input) to L, in order
 */
public record Coefficients(double tau0, NtkRecursion ntkRecursion, List<Layer> layers) {
    /** The β/κ recursion of Theorem 2 (docs/theory.md §5.2). */
    public enum NtkRecursion {
        /** docs/theory.md §5.2 "(recommended)": keeps the D1·β_{ℓ−1} terms of the non-centred K'. */
        RECOMMENDED,
        /** The May-2022 preprint's β and index-shifted κ (rel. error ≈ 0.29 vs 0.12 for ReLU, L = 3; docs/theory.md §5.2). */
        PREPRINT;

        /** The command-line word: {@code recommended} or {@code preprint}. */
        public String word() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * The scalars of one layer ℓ (ℓ = 0 is the input).
     *
     * @param layer  ℓ
     * @param tau    τ_ℓ, the standard deviation of the centred layer output
     * @param alpha1 α_{ℓ,1}, weight of XᵀX in K̃_CK (first-order information)
     * @param alpha2 α_{ℓ,2}, weight of the t/ψ rank-one part
     * @param alpha3 α_{ℓ,3}, weight of the T part (covariance shape)
     * @param alpha4 α_{ℓ,4}, sensitivity of the diagonal to ‖x‖² fluctuations (feeds α_{·,2} only)
     * @param beta1  β_{ℓ,1}, weight of XᵀX in K̃_NTK
     * @param beta2  β_{ℓ,2}
     * @param beta3  β_{ℓ,3}
     * @param kappa  κ_ℓ (NaN where undefined: activations with jumps)
     */
    public record Layer(int layer, double tau, double alpha1, double alpha2, double alpha3, double alpha4,
                        double beta1, double beta2, double beta3, double kappa) {
    }

    public Coefficients {
        layers = List.copyOf(layers);
    }

    /**
     * Runs the recursions through {@code chain} (σ_1 first).
     *
     * @param chain        the activations σ_1 … σ_L (each used centred; centring does not change
     *                     m1, m2, m3, v, q). Not modified.
     * @param tau0         τ_0 &gt; 0
     * @param ntkRecursion the β/κ version
     * @throws IllegalArgumentException if τ0 or some τ_ℓ feeding a further layer is not positive and finite
     *                                  (e.g. a step whose thresholds lie far outside the data scale)
     */
    public static Coefficients compute(List<? extends Activation> chain, double tau0, NtkRecursion ntkRecursion) {
        if (!(tau0 > 0) || Double.isInfinite(tau0)) {
            throw new IllegalArgumentException("τ0 must be positive and finite, got " + tau0);
        }
        List<Layer> layers = new ArrayList<>(chain.size() + 1);
        Layer previous = new Layer(0, tau0, 1, 0, 0, 1, 1, 0, 0, tau0);
        layers.add(previous);
        double beta4 = 1;           // preprint only: β_{ℓ,4}
        double previousQ = 1;       // preprint only: q_{ℓ−1}(τ_{ℓ−2}), q_0 = 1
        for (int l = 1; l <= chain.size(); l++) {
            if (!(previous.tau() > 0) || Double.isInfinite(previous.tau())) {
                throw new IllegalArgumentException("τ_" + (l - 1) + " = " + previous.tau() + " after layer " + (l - 1)
                        + " (" + chain.get(l - 2).spec() + "): the moments of layer " + l + " are undefined");
            }
            Moments m = chain.get(l - 1).moments(previous.tau());
            double d1 = m.d1();
            double d2 = m.d2();
            double d3 = m.d3();
            double tau = Math.sqrt(m.v());
            double alpha1 = d1 * previous.alpha1();
            double alpha2 = d1 * previous.alpha2() + 0.25 * d2 * previous.alpha4() * previous.alpha4();
            double alpha3 = d1 * previous.alpha3() + 0.5 * d2 * previous.alpha1() * previous.alpha1();
            double alpha4 = 0.5 * d3 * previous.alpha4();
            double beta1;
            double beta2;
            double beta3;
            double kappaSquared;
            double kappaPrevSquared = previous.kappa() * previous.kappa();
            if (ntkRecursion == NtkRecursion.RECOMMENDED) {
                beta1 = alpha1 + d1 * previous.beta1();
                beta2 = alpha2 + d1 * previous.beta2();
                beta3 = alpha3 + d1 * previous.beta3() + d2 * previous.alpha1() * previous.beta1();
                kappaSquared = tau * tau + kappaPrevSquared * m.q();
            } else {
                beta4 = d2 * beta4;
                beta1 = alpha1;
                beta2 = alpha2;
                beta3 = alpha3 + previous.beta1() * beta4;
                kappaSquared = tau * tau + kappaPrevSquared * previousQ;
                previousQ = m.q();
            }
            previous = new Layer(l, tau, alpha1, alpha2, alpha3, alpha4, beta1, beta2, beta3, Math.sqrt(kappaSquared));
            layers.add(previous);
        }
        return new Coefficients(tau0, ntkRecursion, layers);
    }

    /** Number of layers L (excluding the input). */
    public int depth() {
        return layers.size() - 1;
    }

    /** Layer ℓ, 0 ≤ ℓ ≤ L. */
    public Layer layer(int l) {
        return layers.get(l);
    }

    /** Layer L. */
    public Layer last() {
        return layers.get(layers.size() - 1);
    }
}
