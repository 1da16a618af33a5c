package ntklc.backend.opencl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.SplittableRandom;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import ntklc.compression.packed.PopcountKernel;
import ntklc.compression.packed.TernaryMatrix;
import ntklc.nn.Initializer;

/**
 * {@code kernels/popcount.cl} against its CPU reference {@link PopcountKernel#counts} on awkward
 * shapes (1 sample, 1 row, widths not a multiple of 64, row counts not a multiple of the
 * work-group, both plane forms). Integer counts: they must agree exactly. Skipped, with the reason,
 * without an OpenCL device (CI runs it on PoCL).
 */
@Tag("opencl")
class PopcountParityTest {
    private static OpenClBackend cl;

    @BeforeAll
    static void openDevice() {
        cl = OpenClTestDevice.openOrSkip("OpenCL parity tests skipped: ");
    }

    @AfterAll
    static void closeDevice() {
        OpenClTestDevice.close(cl);
    }

    @ParameterizedTest
    @CsvSource({"1, 1, 1, 0.5", "1, 130, 77, 0.0", "13, 64, 1, 0.9", "37, 200, 129, 0.9", "100, 65, 9, 0.0",
        "64, 1000, 33, 0.5"})
    void countsEqualTheCpuReference(int n, int dIn, int dOut, double epsilon) {
        SplittableRandom rng = new SplittableRandom(n * 31L + dIn);
        TernaryMatrix t = TernaryMatrix.sample(new Initializer.SparseTernary(epsilon, false), dOut, dIn, rng);
        int words = t.words();
        long[] h = new long[n * words];
        long lastMask = (dIn & 63) == 0 ? -1L : (1L << dIn) - 1;
        for (int s = 0; s < n; s++) {
            for (int w = 0; w < words; w++) {
                h[s * words + w] = rng.nextLong() & (w == words - 1 ? lastMask : -1L);
            }
        }
        long[] minus = t.signsOnly() ? null : t.minusPlane();
        int[] cpu = PopcountKernel.counts(h, n, t.plusPlane(), minus, dOut, words);
        int[] gpu = cl.ternaryCounts(h, n, t.plusPlane(), minus, dOut, words);
        assertArrayEquals(cpu, gpu);
        // the SIGNS shortcut on the device against both planes on the device
        if (minus == null) {
            assertArrayEquals(cpu, cl.ternaryCounts(h, n, t.plusPlane(), t.minusPlane(), dOut, words));
        }
    }
}
