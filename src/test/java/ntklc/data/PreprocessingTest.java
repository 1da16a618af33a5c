package ntklc.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import ntklc.tensor.Tensor;

class PreprocessingTest {
    /** n×p uniform [0,1) "pixels" with labels i mod K. */
    static Dataset pixels(int n, int p, int K, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] x = new float[n * p];
        for (int k = 0; k < x.length; k++) {
            x[k] = (float) rng.nextDouble();
        }
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % K;
        }
        return new Dataset(Tensor.wrap(x, n, p), labels, K);
    }

    @Test
    void imagesSelectAndNormaliseAsTheirFloatCopy() {
        // Second path: the same images converted to floats first (Images.toDataset), then the
        // same selection; converting only the kept rows from the bytes must give identical rows.
        SplittableRandom rng = new SplittableRandom(4);
        int n = 300;
        int p = 50;
        byte[] bytes = new byte[7 + n * p];
        rng.nextBytes(bytes);
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = rng.nextInt(10);
        }
        Images images = new Images(bytes, 7, n, p, labels, 10);
        Dataset floats = images.toDataset();
        for (int i = 0; i < n; i += 37) {
            assertEquals((bytes[7 + i * p + 5] & 0xFF) / 255f, floats.x().get(i, 5), 0.0f);
        }
        int[] classes = {8, 2, 5};
        Dataset a = Preprocessing.rawPixels(images, classes, 30, new double[0]);
        Dataset b = Preprocessing.rawPixels(floats, classes, 30, new double[0]);
        assertArrayEquals(b.x().data(), a.x().data());
        assertArrayEquals(b.labels(), a.labels());
        assertEquals(30, a.n());
        Dataset c = Preprocessing.select(images, classes, 0, new double[0]);
        Dataset d = Preprocessing.select(floats, classes, 0, new double[0]);
        assertArrayEquals(d.x().data(), c.x().data());
        assertArrayEquals(d.labels(), c.labels());
    }

    /** Column means and (1/n)Σ||x_i||² of x, in double. */
    static double[] columnMeansAndMeanSquaredNorm(Dataset d) {
        double[] out = new double[d.p() + 1];
        for (int i = 0; i < d.n(); i++) {
            for (int j = 0; j < d.p(); j++) {
                double v = d.x().get(i, j);
                out[j] += v / d.n();
                out[d.p()] += v * v / d.n();
            }
        }
        return out;
    }

    /** docs/theory.md §1.3 steps 3 and 5 with all images kept: mean 0 per pixel and (1/N)Σ||x_i||² = 1 (float rounding). */
    @Test
    void allKeptImagesHaveMeanZeroAndUnitMeanSquaredNorm() {
        Dataset raw = pixels(300, 50, 10, 1);
        Dataset d = Preprocessing.rawPixels(raw, new int[] {3, 7}, 0, new double[0]);
        assertEquals(60, d.n());
        double[] s = columnMeansAndMeanSquaredNorm(d);
        for (int j = 0; j < 50; j++) {
            assertEquals(0, s[j], 1e-6);
        }
        assertEquals(1, s[50], 1e-5);
        assertEquals(1, SampleStatistics.tau0(d), 1e-5, "τ0 estimate of docs/theory.md §1.2");
    }

    /**
     * Step 4: the first ⌊c_k·T⌋ images of each kept class, in data-set order, with statistics of
     * step 3 taken over <em>all</em> kept images: the subset rows equal the corresponding rows of
     * the all-kept result (second computation of the same thing), relabelled and in blocks.
     */
    @Test
    void subsetTakesFirstImagesPerClassWithFullSplitStatistics() {
        Dataset raw = pixels(300, 20, 10, 2);
        Dataset all = Preprocessing.rawPixels(raw, new int[] {7, 3}, 0, new double[0]);
        Dataset sub = Preprocessing.rawPixels(raw, new int[] {7, 3}, 10, new double[] {0.4, 0.6});
        assertArrayEquals(new int[] {0, 0, 0, 0, 1, 1, 1, 1, 1, 1}, sub.labels());
        // in `all`, class 7 (label 0) occupies rows 0..29 and class 3 rows 30..59, each in data-set order
        int[] rowInAll = {0, 1, 2, 3, 30, 31, 32, 33, 34, 35};
        for (int r = 0; r < 10; r++) {
            for (int j = 0; j < 20; j++) {
                assertEquals(all.x().get(rowInAll[r], j), sub.x().get(r, j), 0f);
            }
        }
        // the first two kept images of class 7 are raw rows 7 and 17; (x − m)/s maps their
        // difference to (x_7 − x_17)/s, the same factor 1/s on every pixel
        double inverseS = (sub.x().get(0, 0) - sub.x().get(1, 0)) / (raw.x().get(7, 0) - raw.x().get(17, 0));
        for (int j = 1; j < 20; j++) {
            double ratio = (sub.x().get(0, j) - sub.x().get(1, j)) / (raw.x().get(7, j) - raw.x().get(17, j));
            assertEquals(inverseS, ratio, 1e-4 * inverseS, "pixel " + j);
        }
    }

    /** docs/theory.md §1.4 feature normalisation: mean 0 and mean squared norm 1 on arbitrary (shifted, scaled) data. */
    @Test
    void featureNormalisation() {
        Dataset d = pixels(200, 30, 2, 3);
        float[] x = d.x().data();
        for (int k = 0; k < x.length; k++) {
            x[k] = 5 * x[k] + 3;
        }
        Preprocessing.centreToUnitMeanSquaredNorm(d.x());
        double[] s = columnMeansAndMeanSquaredNorm(d);
        for (int j = 0; j < 30; j++) {
            assertEquals(0, s[j], 1e-6);
        }
        assertEquals(1, s[30], 1e-5);
    }

    @Test
    void selectWithoutNormalisationCopiesValues() {
        Dataset raw = pixels(40, 5, 4, 4);
        Dataset d = Preprocessing.select(raw, new int[] {2}, 0, new double[0]);
        assertEquals(10, d.n());
        assertEquals(1, d.numClasses());
        assertEquals(raw.x().get(6, 3), d.x().get(1, 3), 0f);
    }

    @Test
    void userMistakes() {
        Dataset raw = pixels(40, 5, 4, 5);
        assertThrows(DataException.class, () -> Preprocessing.rawPixels(raw, new int[] {4}, 0, new double[0]), "unknown class");
        assertThrows(DataException.class, () -> Preprocessing.rawPixels(raw, new int[] {1, 1}, 0, new double[0]), "repeated");
        assertThrows(DataException.class, () -> Preprocessing.rawPixels(raw, new int[] {1, 2}, 100, new double[0]), "too few");
        assertThrows(DataException.class, () -> Preprocessing.rawPixels(raw, new int[] {1, 2}, 4, new double[] {0.9, 0.9}), "sum > 1");
        assertThrows(DataException.class, () -> Preprocessing.rawPixels(raw, new int[] {1, 2}, 0, new double[] {0.5, 0.5}), "cs without T");
        Dataset constant = new Dataset(Tensor.full(0.5f, 4, 3), new int[] {0, 0, 1, 1}, 2);
        assertThrows(DataException.class, () -> Preprocessing.rawPixels(constant, new int[] {0, 1}, 0, new double[0]), "s = 0");
    }
}
