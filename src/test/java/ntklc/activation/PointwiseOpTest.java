package ntklc.activation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The float ops that the autograd primitive and both backends compute are the theory's activations:
 * each {@link PointwiseOp} against its double-precision {@link PointwiseOp#activation()} (a second,
 * independently written implementation: {@link PiecewiseLinear} for ReLU, {@link Smooth} with
 * 1/cosh² and the overflow-safe logistic for tanh and the sigmoid).
 */
class PointwiseOpTest {
    /** Points from the saturated tails to the kink, avoiding x = 0 where ReLU's derivative is a choice. */
    private static final float[] XS = {-40f, -9.5f, -2.5f, -0.7f, -1e-3f, 1e-3f, 0.3f, 1.9f, 6f, 40f};

    @Test
    void valuesAndDerivativesAreThoseOfTheTheoryActivation() {
        for (PointwiseOp op : PointwiseOp.values()) {
            Activation sigma = op.activation();
            assertEquals(op.opName(), sigma.spec(), "one name on every device and on the command line");
            for (float x : XS) {
                double value = sigma.value(x);
                double slope = sigma.derivative(x);
                // Float rounding of a double result: at most half an ulp of the float; the two double
                // formulas (e.g. 1 − tanh² vs 1/cosh²) differ by a few double ulps, far below it.
                // An absolute floor of 1e−15 covers derivatives that cancel to ~1e−17 in the tails.
                assertEquals(value, op.apply(x), Math.ulp((float) value) + 1e-15, op + " σ(" + x + ")");
                assertEquals(slope, op.derivative(x), Math.ulp((float) slope) + 1e-15, op + " σ'(" + x + ")");
            }
        }
    }

    @Test
    void reluKeepsNaNAndItsBackwardIsASelect() {
        assertTrue(Float.isNaN(PointwiseOp.RELU.apply(Float.NaN)), "a diverging network must show a NaN");
        float[] x = {-1f, 2f, -3f};
        float[] dy = {Float.POSITIVE_INFINITY, 5f, Float.NaN};
        float[] dx = new float[3];
        PointwiseOp.RELU.backward(x, dy, dx, 0, 3);
        // dx = dy where x > 0, else exactly 0 (a product 0·∞ would be NaN).
        assertEquals(0f, dx[0], 0f);
        assertEquals(5f, dx[1], 0f);
        assertEquals(0f, dx[2], 0f);
    }
}
