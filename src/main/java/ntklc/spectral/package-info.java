/**
 * The kernels of the paper and their random-matrix equivalents (docs/theory.md §2.2, §4, §5, §3.2):
 * <ul>
 *   <li>{@link ntklc.spectral.ExactKernels}: the expected conjugate kernel K_CK,ℓ and the limiting
 *       NTK K_NTK,ℓ of a deep fully-connected network with centred activations (paper Eqs. (4)–(6)),
 *       by the ReLU arc-cosine closed form or the Hermite (Mehler) expansion;</li>
 *   <li>{@link ntklc.spectral.Equivalents}: K̃_CK (Theorem 1, paper Eq. (8)) and K̃_NTK
 *       (Theorem 2), in the (ψ, t) form and the cheap v form, from {@link ntklc.spectral.DataStatistics};</li>
 *   <li>{@link ntklc.spectral.MonteCarloKernels}: the empirical CK of finite random networks
 *       averaged over weight draws ({@link ntklc.nn.Initializer}), and the empirical NTK of a
 *       finite network from its per-sample gradients;</li>
 *   <li>{@link ntklc.spectral.SpectralComparison}: the E1 comparison of K against K̃ (operator-norm
 *       error, eigenvalues, leading eigenvectors).</li>
 * </ul>
 * The coefficient recursions (τ, α, β, κ) are {@code Coefficients*} in this package, owned by the
 * theory module.
 */
package ntklc.spectral;
