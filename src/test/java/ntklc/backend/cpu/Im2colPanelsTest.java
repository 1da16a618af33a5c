package ntklc.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/**
 * {@link Im2colPanels} writes, for any block, exactly the entries of {@link Conv3x3#im2col}'s
 * matrix (the independent, stored construction) in the packed layout of
 * {@code MatMul.PanelSource}, with zeros past the block's last column.
 */
class Im2colPanelsTest {
    @Test
    void everyBlockEqualsTheStoredIm2colMatrix() {
        SplittableRandom rng = new SplittableRandom(3);
        // {C, H, W, images}: maps narrower and wider than a panel, one pixel wide, several images.
        int[][] shapes = {{3, 4, 4, 5}, {2, 5, 7, 3}, {4, 1, 1, 9}, {1, 6, 33, 2}, {70, 3, 2, 2}};
        for (int[] s : shapes) {
            int c = s[0];
            int h = s[1];
            int wd = s[2];
            int count = s[3];
            int hw = h * wd;
            int off = 7;
            float[] x = new float[off + count * c * hw];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) (rng.nextDouble() * 2 - 1);
            }
            int rows = c * 9;
            int width = count * hw;
            float[] col = new float[rows * width];
            for (int b = 0; b < count; b++) {
                Conv3x3.im2col(x, off + b * c * hw, c, h, wd, col, width, b * hw);
            }
            Im2colPanels source = new Im2colPanels(x, off, c, h, wd, count);
            checkBlocks(source, col, rows, width, rng, s);
            checkBlocks(source.transposed(), transpose(col, rows, width), width, rows, rng, s);
        }
    }

    private static float[] transpose(float[] m, int rows, int cols) {
        float[] t = new float[rows * cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                t[j * rows + i] = m[i * cols + j];
            }
        }
        return t;
    }

    /** Random blocks of {@code source} against the stored {@code rows×width} matrix {@code col}. */
    private static void checkBlocks(Im2colPanels source, float[] col, int rows, int width, SplittableRandom rng, int[] s) {
        for (int nr : new int[] {1, 8, 16}) {
            for (int trial = 0; trial < 20; trial++) {
                int pc = rng.nextInt(rows);
                int kc = 1 + rng.nextInt(rows - pc);
                int jc = rng.nextInt(width);
                int nc = 1 + rng.nextInt(width - jc);
                int panelCount = (nc + nr - 1) / nr;
                float[] panels = new float[panelCount * nr * kc];
                java.util.Arrays.fill(panels, Float.NaN);
                source.pack(pc, kc, jc, nc, nr, panels);
                for (int q = 0; q < panelCount; q++) {
                    for (int p = 0; p < kc; p++) {
                        for (int j = 0; j < nr; j++) {
                            int column = q * nr + j;
                            float expected = column < nc ? col[(pc + p) * width + jc + column] : 0f;
                            assertEquals(expected, panels[q * nr * kc + p * nr + j], 0f,
                                    "shape " + java.util.Arrays.toString(s) + " " + rows + "×" + width + " nr=" + nr + " block " + pc + "+" + kc
                                            + " × " + jc + "+" + nc + " at p=" + p + " column " + column);
                        }
                    }
                }
            }
        }
    }
}
