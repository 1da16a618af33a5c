package ntklc.spectral;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import ntklc.activation.Activation;
import ntklc.activation.Activations;
import ntklc.linalg.Matrix;
import ntklc.linalg.Products;
import ntklc.special.GaussHermite;

/** Exact kernels: closed form against the Hermite expansion, and against 2-D quadrature. */
class ExactKernelsTest {
    private static double relDiff(Matrix a, Matrix b) {
        return a.minus(b).maxAbs() / a.maxAbs();
    }

    @Test
    void reluArcCosineEqualsTheHermiteExpansion() {
        // Two independent evaluations of the same Gaussian expectations (docs/theory.md §3.2): the ReLU
        // arc-cosine closed form and the Mehler series with quadrature coefficients. Off-diagonal
        // correlations of GMM data are O(p^−1/2) ≈ 0.1–0.4 here, so the truncation error at
        // k_max = 16 is below 0.4^17 ≈ 2e−7 of the entries.
        SplittableRandom rng = new SplittableRandom(11);
        SpectralTestSupport.Gmm gmm = SpectralTestSupport.gmmVar(40, 60, rng);
        Matrix gram = Products.gram(gmm.x());
        List<Activation> relu3 = Activations.parseChain("relu,relu,relu");
        double tau0 = gmm.stats().tau0();
        ExactKernels.Result closed = ExactKernels.compute(gram, tau0, relu3, true, ExactKernels.Method.AUTO, 16);
        ExactKernels.Result series = ExactKernels.compute(gram, tau0, relu3, true, ExactKernels.Method.HERMITE, 16);
        assertTrue(relDiff(closed.ck(), series.ck()) < 1e-6, "CK " + relDiff(closed.ck(), series.ck()));
        assertTrue(relDiff(closed.ntk(), series.ntk()) < 1e-6, "NTK " + relDiff(closed.ntk(), series.ntk()));
        // Negative control: without the centring constant (m0 = τ0/√(2π) ≈ 0.4) every entry moves by
        // ≈ m0² ≈ 0.16 against a largest entry ≈ 0.34, a relative change near 0.47.
        Matrix uncentred = ExactKernels.reluLayer(gram, 0, null);
        Matrix centred = ExactKernels.reluLayer(gram, tau0 / Math.sqrt(2 * Math.PI), null);
        assertTrue(relDiff(centred, uncentred) > 0.3);
        // τ_L of the centred ReLU chain: τ_ℓ = τ_{ℓ−1}·√(1/2 − 1/(2π)) (docs/theory.md §3.2).
        assertEquals(tau0 * Math.pow(0.5 - 0.5 / Math.PI, 1.5), closed.tau()[3], 1e-14);
    }

    @Test
    void tanhLayerMatchesTwoDimensionalGaussHermite() {
        // One tanh layer: [K_1]_ij = E[σ̄(u)σ̄(v)] with (u, v) ~ N(0, [[K_ii, K_ij], [K_ij, K_jj]]),
        // evaluated by a 2-D tensor-product Gauss–Hermite rule (80×80 nodes) on
        // u = s_i ξ1, v = s_j (ρ ξ1 + √(1−ρ²) ξ2): an oracle independent of the Mehler series.
        // tanh has poles at ±iπ/2, so the 80-node rule is good to ≈ 1e−9, hence the 1e−8 tolerance.
        Matrix gram = Matrix.fromRows(new double[][] {{1.0, 0.3, -0.2}, {0.3, 0.8, 0.1}, {-0.2, 0.1, 1.3}});
        Activation tanh = Activations.parse("tanh");
        double tau0 = 1.0;
        double m0 = tanh.moments(tau0).m0();
        Matrix k = ExactKernels.compute(gram, tau0, List.of(tanh), false, ExactKernels.Method.HERMITE, 30).ck();
        GaussHermite gh = GaussHermite.of(80);
        double[] x = gh.nodes();
        double[] w = gh.weights();
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                double si = Math.sqrt(gram.get(i, i));
                double sj = Math.sqrt(gram.get(j, j));
                double rho = gram.get(i, j) / (si * sj);
                double e = 0;
                for (int a = 0; a < x.length; a++) {
                    for (int b = 0; b < x.length; b++) {
                        double u = si * x[a];
                        double v = sj * (rho * x[a] + Math.sqrt(Math.max(0, 1 - rho * rho)) * x[b]);
                        e += w[a] * w[b] * (Math.tanh(u) - m0) * (Math.tanh(v) - m0);
                    }
                }
                assertEquals(e, k.get(i, j), 1e-8, "entry " + i + "," + j);
            }
        }
    }
}
