package ntklc.compression;

import ntklc.activation.Activation;

/**
 * The solved activation of one layer ℓ (1-based) beside its targets (docs/theory.md §6.3).
 *
 * @param layer          ℓ, 1..L
 * @param original       σ_ℓ of the dense network
 * @param compressed     the solved σ_T ({@code binary-zero}) or σ_Q ({@code binary-last})
 * @param residual       F at the solution (sum of squared equation residuals)
 * @param tauInOriginal  τ_{ℓ−1}, the input scale of the original chain (targets evaluated here)
 * @param tauInCompressed τ'_{ℓ−1}, the input scale of the compressed chain (matched moments evaluated here)
 * @param tauOriginal    τ_ℓ = √v_ℓ(τ_{ℓ−1}) of the original chain
 * @param tauCompressed  τ'_ℓ = √v'_ℓ(τ'_{ℓ−1}) of the compressed chain
 * @param target         (D1, D2, D3) of σ_ℓ at τ_{ℓ−1}
 * @param matched        (D1, D2, D3) of the compressed activation at τ'_{ℓ−1}
 * @param matchesTau     true where τ_ℓ² is one of the equations (last layer of code/paper/tau-preserving,
 *                       every layer of tau-matched)
 * @param distinctSolutions number of distinct small-residual solutions (by τ'_ℓ) the restarts found
 */
public record LayerSolution(int layer, Activation original, Activation compressed, double residual,
                            double tauInOriginal, double tauInCompressed, double tauOriginal, double tauCompressed,
                            MomentTargets target, MomentTargets matched, boolean matchesTau, int distinctSolutions) {
    /** True if F is below {@link NtkLcSolver#SMALL_RESIDUAL}. */
    public boolean solved() {
        return residual <= NtkLcSolver.SMALL_RESIDUAL;
    }
}
