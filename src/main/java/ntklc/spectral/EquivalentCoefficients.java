package ntklc.spectral;

/**
 * The four scalars of a random-matrix equivalent (docs/theory.md §4.2, §5.1), one per term of
 * {@code K̃ = linear·XᵀX + rankOne·v vᵀ + classCovariance·J T Jᵀ/p + identity·I_n}:
 * {@code (α_{L,1}, α_{L,2}, α_{L,3}, c_L)} for the CK, {@code (β_{L,1}, β_{L,2}, β_{L,3}, c'_L)}
 * for the NTK. Built from the τ/α/β/κ recursions by {@link #ck} and {@link #ntk}.
 */
public record EquivalentCoefficients(double linear, double rankOne, double classCovariance, double identity) {

    /** Which identity coefficient (option {@code --identity}). */
    public enum Identity {
        /** {@code c = τ_L² − τ0²·α1} (docs/theory.md §4.2, recommended: diag(K̃) ≈ τ_L²). */
        RECOMMENDED,
        /** {@code c = τ_L² − τ0²·α1 − τ0⁴·α3} (paper Eq. (8) and the reference code). */
        PAPER;

        public static Identity of(String name) {
            return switch (name) {
                case "recommended" -> RECOMMENDED;
                case "paper" -> PAPER;
                default -> throw new IllegalArgumentException("unknown identity '" + name
                        + "' (expected recommended or paper)");
            };
        }
    }

    /**
     * CK equivalent of Theorem 1: {@code (α1, α2, α3, c)} with {@code c = τ_L² − τ0² α1}
     * (recommended) or {@code − τ0⁴ α3} more (paper).
     */
    public static EquivalentCoefficients ck(double alpha1, double alpha2, double alpha3, double tauL, double tau0,
                                            Identity identity) {
        double c = tauL * tauL - tau0 * tau0 * alpha1;
        if (identity == Identity.PAPER) {
            c -= Math.pow(tau0, 4) * alpha3;
        }
        return new EquivalentCoefficients(alpha1, alpha2, alpha3, c);
    }

    /**
     * NTK equivalent of Theorem 2: {@code (β1, β2, β3, c')} with {@code c' = κ_L² − τ0² β1}
     * (recommended) or {@code − τ0⁴ β3} more (paper).
     */
    public static EquivalentCoefficients ntk(double beta1, double beta2, double beta3, double kappaSquared,
                                             double tau0, Identity identity) {
        double c = kappaSquared - tau0 * tau0 * beta1;
        if (identity == Identity.PAPER) {
            c -= Math.pow(tau0, 4) * beta3;
        }
        return new EquivalentCoefficients(beta1, beta2, beta3, c);
    }

    /**
     * The CK equivalent of Theorem 1 from the last layer of the coefficient recursion:
     * {@link #ck(double, double, double, double, double, Identity) ck}{@code (α1, α2, α3, τ_L, τ0)}.
     */
    public static EquivalentCoefficients ck(Coefficients.Layer last, double tau0, Identity identity) {
        return ck(last.alpha1(), last.alpha2(), last.alpha3(), last.tau(), tau0, identity);
    }

    /**
     * The NTK equivalent of Theorem 2 from the last layer of the coefficient recursion:
     * {@link #ntk(double, double, double, double, double, Identity) ntk}{@code (β1, β2, β3, κ_L², τ0)}.
     */
    public static EquivalentCoefficients ntk(Coefficients.Layer last, double tau0, Identity identity) {
        return ntk(last.beta1(), last.beta2(), last.beta3(), last.kappa() * last.kappa(), tau0, identity);
    }
}
