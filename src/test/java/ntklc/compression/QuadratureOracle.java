package ntklc.compression;

import java.util.Arrays;
import java.util.function.DoubleUnaryOperator;

/**
 * Test oracle: E[g(ξ)] for ξ ~ N(0,1) by composite Simpson on [−12, 12], split at the given break
 * points (jumps of a step function), 20 000 panels per piece. Error ≲ 1e−12 for the piecewise
 * polynomial-times-Gaussian integrands used here; independent of the closed forms under test.
 */
final class QuadratureOracle {
    private QuadratureOracle() {
    }

    static double gaussianExpectation(DoubleUnaryOperator g, double... breaks) {
        double[] pts = new double[breaks.length + 2];
        pts[0] = -12;
        pts[pts.length - 1] = 12;
        System.arraycopy(breaks, 0, pts, 1, breaks.length);
        Arrays.sort(pts);
        double sum = 0;
        for (int k = 0; k + 1 < pts.length; k++) {
            double a = Math.max(-12, Math.min(12, pts[k]));
            double b = Math.max(-12, Math.min(12, pts[k + 1]));
            if (b <= a) {
                continue;
            }
            int n = 20_000;
            double h = (b - a) / n;
            double s = 0;
            for (int i = 0; i <= n; i++) {
                // evaluate just inside the piece so a jump at an end point takes this piece's value
                double x = Math.min(b - 1e-13, Math.max(a + 1e-13, a + i * h));
                double w = (i == 0 || i == n) ? 1 : (i % 2 == 1 ? 4 : 2);
                s += w * g.applyAsDouble(x) * Math.exp(-0.5 * x * x);
            }
            sum += s * h / 3;
        }
        return sum / Math.sqrt(2 * Math.PI);
    }
}
