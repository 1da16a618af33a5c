package ntklc.nn.vgg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import ntklc.data.Dataset;
import ntklc.tensor.Tensor;

/**
 * The crop/flip/normalise pipeline of docs/theory.md §1.4 against a second, literal implementation of
 * torchvision's steps: build the zero-padded image, cut the crop, mirror it, normalise.
 */
class ImageTransformTest {
    private static final int C = 2;
    private static final int S = 5;
    private static final int PAD = 2;
    private static final float[] MEAN = {0.5f, 0.25f};
    private static final float[] STD = {0.2f, 0.4f};

    private static Dataset images(int n) {
        SplittableRandom rng = new SplittableRandom(31);
        Tensor x = Tensor.zeros(n, C * S * S);
        for (int i = 0; i < x.size(); i++) {
            x.data()[i] = (float) rng.nextDouble();
        }
        return new Dataset(x, new int[n], 2);
    }

    /** torchvision, step by step: pad with zeros, crop at (a, b), optionally flip, normalise. */
    private static float[] literal(float[] img, int a, int b, boolean flip) {
        int side = S + 2 * PAD;
        float[] padded = new float[C * side * side];
        for (int c = 0; c < C; c++) {
            for (int h = 0; h < S; h++) {
                for (int v = 0; v < S; v++) {
                    padded[(c * side + h + PAD) * side + v + PAD] = img[(c * S + h) * S + v];
                }
            }
        }
        float[] crop = new float[C * S * S];
        for (int c = 0; c < C; c++) {
            for (int h = 0; h < S; h++) {
                for (int v = 0; v < S; v++) {
                    crop[(c * S + h) * S + v] = padded[(c * side + h + a) * side + v + b];
                }
            }
        }
        float[] out = new float[crop.length];
        for (int c = 0; c < C; c++) {
            for (int h = 0; h < S; h++) {
                for (int v = 0; v < S; v++) {
                    float p = crop[(c * S + h) * S + (flip ? S - 1 - v : v)];
                    out[(c * S + h) * S + v] = (p - MEAN[c]) / STD[c];
                }
            }
        }
        return out;
    }

    @Test
    void augmentationMatchesTheLiteralPipeline() {
        ImageTransform t = new ImageTransform(C, S, PAD, MEAN, STD);
        Dataset d = images(6);
        int[] rows = {4, 0, 5, 2, 2, 1};
        Tensor out = t.batch(d, rows, new SplittableRandom(32));
        // The same generator, drawn as the class comment says: crop row offset, column offset, flip.
        SplittableRandom draws = new SplittableRandom(32);
        boolean sawFlip = false;
        boolean sawNoFlip = false;
        for (int i = 0; i < rows.length; i++) {
            int a = draws.nextInt(2 * PAD + 1);
            int b = draws.nextInt(2 * PAD + 1);
            boolean flip = draws.nextBoolean();
            sawFlip |= flip;
            sawNoFlip |= !flip;
            float[] img = java.util.Arrays.copyOfRange(d.x().data(), rows[i] * C * S * S, (rows[i] + 1) * C * S * S);
            float[] got = java.util.Arrays.copyOfRange(out.data(), i * C * S * S, (i + 1) * C * S * S);
            assertArrayEquals(literal(img, a, b, flip), got, 1e-6f, "image " + i);
        }
        assertTrue(sawFlip && sawNoFlip, "the seed should exercise both flip branches");
    }

    @Test
    void withoutAugmentationOnlyNormalises() {
        ImageTransform t = new ImageTransform(C, S, PAD, MEAN, STD);
        Dataset d = images(2);
        Tensor out = t.batch(d, new int[] {1}, null);
        assertArrayEquals(new int[] {1, C, S, S}, out.shape());
        float[] img = java.util.Arrays.copyOfRange(d.x().data(), C * S * S, 2 * C * S * S);
        assertArrayEquals(literal(img, PAD, PAD, false), out.data(), 1e-6f);
    }

    @Test
    void cifar10ConstantsOfTheReferenceCode() {
        ImageTransform t = ImageTransform.cifar10();
        assertEquals(32, t.size());
        assertEquals(4, t.pad());
        assertArrayEquals(new float[] {0.4914f, 0.4822f, 0.4465f}, t.mean());
        assertArrayEquals(new float[] {0.2023f, 0.1994f, 0.2010f}, t.std());
    }
}
