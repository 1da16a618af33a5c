/**
 * Special functions and quadrature in double precision, the numerical ground floor of the
 * Gaussian moments (docs/theory.md §3):
 *
 * <ul>
 *   <li>{@link ntklc.special.Erf}: erf and erfc (W. J. Cody's rational Chebyshev approximations,
 *       ~1e−16 relative);</li>
 *   <li>{@link ntklc.special.Gaussian}: the standard normal density φ and distribution Φ;</li>
 *   <li>{@link ntklc.special.GaussHermite}: probabilists' Gauss–Hermite rules, E[f(ξ)] ≈ Σ w_i f(x_i);</li>
 *   <li>{@link ntklc.special.Quadrature}: adaptive Gauss–Kronrod (7–15) on finite or infinite
 *       intervals with break points, for piecewise (kinked or discontinuous) integrands.</li>
 * </ul>
 *
 * <p>Self-contained on purpose: nothing here depends on {@code ntklc.linalg}.
 */
package ntklc.special;
