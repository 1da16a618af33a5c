package ntklc.activation;

/**
 * Gaussian moments of an activation σ at scale τ (docs/theory.md §3.1), ξ ~ N(0,1):
 *
 * <ul>
 *   <li>{@code m0 = E[σ(τξ)]}</li>
 *   <li>{@code m1 = E[σ'(τξ)] = E[ξ σ(τξ)]/τ}</li>
 *   <li>{@code m2 = E[σ''(τξ)] = E[(ξ²−1) σ(τξ)]/τ²}</li>
 *   <li>{@code m3 = E[((σ−m0)²)''(τξ)] = E[(ξ²−1)(σ(τξ)−m0)²]/τ²}</li>
 *   <li>{@code v = Var σ(τξ)}</li>
 *   <li>{@code q = E[σ'(τξ)²]} (NaN where σ' is not square-integrable, e.g. steps)</li>
 * </ul>
 */
public record Moments(double tau, double m0, double m1, double m2, double m3, double v, double q) {
    /** D1 = m1² = E[σ']² (docs/theory.md §4.1). */
    public double d1() {
        return m1 * m1;
    }

    /** D2 = m2² = E[σ'']² (docs/theory.md §4.1). */
    public double d2() {
        return m2 * m2;
    }

    /** D3 = m3 = E[((σ − m0)²)''] (docs/theory.md §4.1). */
    public double d3() {
        return m3;
    }
}
