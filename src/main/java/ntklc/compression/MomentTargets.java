package ntklc.compression;

import ntklc.activation.Moments;

/**
 * The three activation statistics that Theorem 1 says a layer's CK depends on (docs/theory.md §4.1, §6.3):
 * {@code d1 = D1 = E[σ'(τξ)]²}, {@code d2 = D2 = E[σ''(τξ)]²}, {@code d3 = D3 = E[((σ−m0)²)''(τξ)]}.
 */
public record MomentTargets(double d1, double d2, double d3) {
    /** (m1², m2², m3) of the given moments. */
    public static MomentTargets of(Moments m) {
        return new MomentTargets(m.d1(), m.d2(), m.d3());
    }
}
