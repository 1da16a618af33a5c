package ntklc.backend.opencl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static ntklc.tensor.TestTensors.uniform;

import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import ntklc.activation.PointwiseOp;
import ntklc.backend.Backend;
import ntklc.backend.CpuBackend;
import ntklc.backend.DeviceTensor;
import ntklc.backend.Devices;
import ntklc.nn.Sgd;
import ntklc.nn.vgg.ResidentTrainingTest;
import ntklc.nn.vgg.Vgg;
import ntklc.tensor.GemmOffload;
import ntklc.tensor.MatMul;
import ntklc.tensor.Tensor;

/**
 * Every OpenCL kernel against the CPU reference backend on awkward shapes: non-square, sizes that
 * are not multiples of the register block (8×16) or work-group (64), 1×N and N×1, batch 1, odd
 * channel counts. Skipped, with the reason, when no OpenCL device exists (CI installs
 * {@code pocl-opencl-icd} so that they run on the CPU). Runs on OpenCL device 0, or on
 * {@code -Dntklc.opencl.device=N}.
 *
 * <p>Tolerances: the two sides sum in different orders, so they differ by at most twice the float
 * rounding bound of the longest sum involved ({@code γ_k·Σ|terms|}, Higham Eq. (3.11)); each
 * check below states its {@code k}.
 */
@Tag("opencl")
class OpenClParityTest {
    private static OpenClBackend cl;
    private static final CpuBackend CPU = new CpuBackend();

    @BeforeAll
    static void openDevice() {
        cl = OpenClTestDevice.openOrSkip("OpenCL parity tests skipped: ");
    }

    @AfterAll
    static void closeDevice() {
        OpenClTestDevice.close(cl);
    }

    /** Runs {@code op} on both backends with the same host inputs and returns both downloads of output {@code out}. */
    private static void assertClose(Tensor expected, Tensor actual, double tol, String what) {
        assertArrayEquals(expected.shape(), actual.shape(), what);
        for (int i = 0; i < expected.size(); i++) {
            double e = expected.data()[i];
            double a = actual.data()[i];
            if (!(Math.abs(e - a) <= tol)) {
                throw new AssertionError(what + ": element " + i + " of " + expected.shapeString() + ": cpu " + e
                        + " vs opencl " + a + " (tolerance " + tol + ")");
            }
        }
    }

    @Test
    void gemmAllTransposesAwkwardShapes() {
        SplittableRandom rng = new SplittableRandom(10);
        int[][] shapes = {{1, 1, 1}, {1, 37, 5}, {37, 1, 5}, {9, 17, 33}, {8, 16, 64}, {130, 70, 300}};
        for (int[] s : shapes) {
            int m = s[0];
            int n = s[1];
            int k = s[2];
            for (int variant = 0; variant < 4; variant++) {
                boolean ta = (variant & 1) != 0;
                boolean tb = (variant & 2) != 0;
                Tensor a = ta ? uniform(rng, k, m) : uniform(rng, m, k);
                Tensor b = tb ? uniform(rng, n, k) : uniform(rng, k, n);
                Tensor c0 = uniform(rng, m, n);
                for (boolean acc : new boolean[] {false, true}) {
                    Tensor want = run2(CPU, a, b, c0, ta, tb, acc);
                    Tensor got = run2(cl, a, b, c0, ta, tb, acc);
                    // k products of |·| ≤ 1 plus the old C: 2·γ_{k+1}·(k+1).
                    assertClose(want, got, 2.0 * (k + 1) * (k + 1) * 0x1p-24 * 1.01 + 1e-6,
                            "gemm " + m + "×" + n + "×" + k + " transA=" + ta + " transB=" + tb + " acc=" + acc);
                }
            }
        }
    }

    private static Tensor run2(Backend be, Tensor a, Tensor b, Tensor c0, boolean ta, boolean tb, boolean acc) {
        try (DeviceTensor da = be.upload(a); DeviceTensor db = be.upload(b); DeviceTensor dc = be.upload(c0)) {
            be.gemm(ta, tb, da, db, dc, acc);
            return be.download(dc);
        }
    }

    /** N, C, H, W, K: batch 1, single pixel, 1×N rows, odd channels, sizes off the 8×16 block. */
    private static final int[][] CONV_SHAPES = {{1, 1, 1, 1, 1}, {1, 3, 1, 13, 5}, {2, 5, 7, 3, 9}, {3, 17, 6, 5, 11}, {2, 16, 8, 8, 8}};

    @Test
    void convolutionForwardAndBothBackwardPasses() {
        SplittableRandom rng = new SplittableRandom(11);
        for (int[] s : CONV_SHAPES) {
            int n = s[0];
            int c = s[1];
            int h = s[2];
            int w = s[3];
            int k = s[4];
            Tensor x = uniform(rng, n, c, h, w);
            Tensor wt = uniform(rng, k, c, 3, 3);
            Tensor dy = uniform(rng, n, k, h, w);
            String shape = "conv N=" + n + " C=" + c + " H=" + h + " W=" + w + " K=" + k;
            Tensor[] cpu = conv(CPU, x, wt, dy);
            Tensor[] ocl = conv(cl, x, wt, dy);
            // Sums of 9C (forward), 9K (data gradient), N·H·W (weight gradient) products in [-1, 1].
            assertClose(cpu[0], ocl[0], 2.0 * 9 * c * 9 * c * 0x1p-24 + 1e-6, shape + " forward");
            assertClose(cpu[1], ocl[1], 2.0 * 9 * k * 9 * k * 0x1p-24 + 1e-6, shape + " backward data");
            long m = (long) n * h * w;
            assertClose(cpu[2], ocl[2], 2.0 * m * m * 0x1p-24 + 1e-6, shape + " backward weights");
        }
    }

    private static Tensor[] conv(Backend be, Tensor x, Tensor w, Tensor dy) {
        int[] xs = x.shape();
        try (DeviceTensor dx = be.upload(x); DeviceTensor dw = be.upload(w); DeviceTensor ddy = be.upload(dy);
             DeviceTensor y = be.zeros(xs[0], w.dim(0), xs[2], xs[3]); DeviceTensor gx = be.zeros(xs);
             DeviceTensor gw = be.zeros(w.shape())) {
            be.conv3x3Forward(dx, dw, y);
            be.conv3x3BackwardData(ddy, dw, gx);
            be.conv3x3BackwardWeights(dx, ddy, gw);
            return new Tensor[] {be.download(y), be.download(gx), be.download(gw)};
        }
    }

    @Test
    void maxPoolForwardAndBackward() {
        SplittableRandom rng = new SplittableRandom(12);
        int[][] shapes = {{1, 1, 2, 2}, {2, 3, 5, 7}, {1, 5, 1, 9}, {3, 2, 8, 6}};
        for (int[] s : shapes) {
            Tensor x = uniform(rng, s);
            int ho = s[2] / 2;
            int wo = s[3] / 2;
            Tensor dy = uniform(rng, s[0], s[1], ho, wo);
            Tensor[] cpu = pool(CPU, x, dy);
            Tensor[] ocl = pool(cl, x, dy);
            String what = "maxpool " + java.util.Arrays.toString(s);
            // Selection and routing are exact: no rounding.
            assertClose(cpu[0], ocl[0], 0, what + " y");
            assertClose(cpu[1], ocl[1], 0, what + " window");
            assertClose(cpu[2], ocl[2], 0, what + " dx");
        }
    }

    private static Tensor[] pool(Backend be, Tensor x, Tensor dy) {
        int[] s = x.shape();
        try (DeviceTensor dx = be.upload(x); DeviceTensor ddy = be.upload(dy);
             DeviceTensor y = be.zeros(dy.shape()); DeviceTensor win = be.zeros(dy.shape()); DeviceTensor gx = be.zeros(s)) {
            be.maxPoolForward(dx, y, win);
            be.maxPoolBackward(ddy, win, gx);
            return new Tensor[] {be.download(y), be.download(win), be.download(gx)};
        }
    }

    @Test
    void batchNormForwardAndBackward() {
        SplittableRandom rng = new SplittableRandom(13);
        // N·H·W = 1·1·1 would divide by a zero variance (+ε): skipped; 3 values per channel is the smallest here.
        int[][] shapes = {{1, 3, 1, 3}, {2, 5, 3, 7}, {4, 1, 9, 9}, {3, 65, 2, 2}};
        for (int[] s : shapes) {
            Tensor x = uniform(rng, s);
            Tensor gamma = uniform(rng, s[1]);
            Tensor beta = uniform(rng, s[1]);
            Tensor dy = uniform(rng, s);
            Tensor[] cpu = bn(CPU, x, gamma, beta, dy);
            Tensor[] ocl = bn(cl, x, gamma, beta, dy);
            String what = "batchnorm " + java.util.Arrays.toString(s);
            // The CPU sums in double, OpenCL in float over M = N·H·W terms: relative differences of
            // order M·2⁻²⁴ in the statistics, amplified by invStd (≤ √3/ε-free here, |x| ≤ 1).
            double m = (double) s[0] * s[2] * s[3];
            double tol = 1e-5 * Math.max(1, m / 16);
            assertClose(cpu[0], ocl[0], tol, what + " y");
            assertClose(cpu[1], ocl[1], tol, what + " mean");
            assertClose(cpu[2], ocl[2], tol * 10, what + " invStd");
            assertClose(cpu[3], ocl[3], tol * 10, what + " dx");
            assertClose(cpu[4], ocl[4], tol * m, what + " dGamma");
            assertClose(cpu[5], ocl[5], tol * m, what + " dBeta");
        }
    }

    private static Tensor[] bn(Backend be, Tensor x, Tensor gamma, Tensor beta, Tensor dy) {
        int c = gamma.size();
        try (DeviceTensor dx = be.upload(x); DeviceTensor dg = be.upload(gamma); DeviceTensor db = be.upload(beta);
             DeviceTensor ddy = be.upload(dy); DeviceTensor y = be.zeros(x.shape()); DeviceTensor mean = be.zeros(c);
             DeviceTensor inv = be.zeros(c); DeviceTensor gx = be.zeros(x.shape()); DeviceTensor gg = be.zeros(c);
             DeviceTensor gb = be.zeros(c)) {
            be.batchNormForward(dx, dg, db, 1e-5f, y, mean, inv);
            be.batchNormBackward(ddy, dx, dg, mean, inv, gx, gg, gb);
            return new Tensor[] {be.download(y), be.download(mean), be.download(inv), be.download(gx),
                    be.download(gg), be.download(gb)};
        }
    }

    @Test
    void pointwiseActivationsAxpyAndSum() {
        SplittableRandom rng = new SplittableRandom(14);
        for (int size : new int[] {1, 63, 65, 1000}) {
            Tensor x = uniform(rng, size);
            Tensor dy = uniform(rng, size);
            for (PointwiseOp op : PointwiseOp.values()) {
                Tensor[] cpu = pointwise(CPU, op, x, dy);
                Tensor[] ocl = pointwise(cl, op, x, dy);
                // OpenCL's tanh/exp are accurate to a few ulp (OpenCL 1.2 §7.4: ≤ 5 ulp for tanh, ≤ 3 for exp).
                assertClose(cpu[0], ocl[0], 1e-6, op + " forward n=" + size);
                assertClose(cpu[1], ocl[1], 1e-6, op + " backward n=" + size);
            }
            try (DeviceTensor a = cl.upload(x); DeviceTensor b = cl.upload(dy)) {
                cl.axpy(-0.5f, a, b);
                Tensor want = dy.copy();
                for (int i = 0; i < size; i++) {
                    want.data()[i] += -0.5f * x.data()[i];
                }
                assertClose(want, cl.download(b), 1e-7, "axpy n=" + size);
                // Block sums in float, 64·64 terms per block, |terms| ≤ 1: ≤ 2·γ_4096·size.
                assertEquals(CPU.sum(CPU.upload(x)), cl.sum(a), 2 * 4096 * 0x1p-24 * size, "sum n=" + size);
            }
        }
        // A sum over more than one block (64·64 = 4096 elements per block): Σ_{i<n} 1 = n exactly.
        try (DeviceTensor ones = cl.upload(Tensor.full(1f, 10_007))) {
            assertEquals(10_007, cl.sum(ones), 0);
        }
    }

    private static Tensor[] pointwise(Backend be, PointwiseOp op, Tensor x, Tensor dy) {
        try (DeviceTensor dx = be.upload(x); DeviceTensor ddy = be.upload(dy); DeviceTensor y = be.zeros(x.shape());
             DeviceTensor gx = be.zeros(x.shape())) {
            be.pointwiseForward(op, dx, y);
            be.pointwiseBackward(op, dx, ddy, gx);
            return new Tensor[] {be.download(y), be.download(gx)};
        }
    }

    @Test
    void aDeviceResidentTrainingStepMatchesTheCpu() {
        // Eight SGD steps of a one-hidden-layer ReLU network, every tensor kept on the device;
        // only the scalar loss comes back per step. Both backends must follow the same path.
        double[] cpu = ntklc.backend.TrainingStepTest.losses(CPU, 8);
        double[] ocl = ntklc.backend.TrainingStepTest.losses(cl, 8);
        for (int i = 0; i < cpu.length; i++) {
            // Float GEMMs of length ≤ 40 in different orders: relative differences ~1e-6 per step,
            // compounded over 8 steps; 1e-4 is far below the loss decrease being checked.
            assertEquals(cpu[i], ocl[i], 1e-4, "loss at step " + i);
        }
    }

    /** multiply, sgdStep and batchNormRunningUpdate on both backends; odd sizes (not multiples of a work-group). */
    private static Tensor[] trainingOps(Backend be, Tensor a, Tensor b, Tensor w, Tensor v, Tensor mean,
                                        Tensor invStd, Tensor rm, Tensor rv) {
        try (DeviceTensor da = be.upload(a); DeviceTensor db = be.upload(b); DeviceTensor y = be.zeros(a.shape());
             DeviceTensor dw = be.upload(w); DeviceTensor dv = be.upload(v); DeviceTensor dm = be.upload(mean);
             DeviceTensor ds = be.upload(invStd); DeviceTensor drm = be.upload(rm); DeviceTensor drv = be.upload(rv)) {
            be.multiply(da, db, y);
            be.multiply(db, da, db);            // in place: b ← b·a
            be.sgdStep(0.05f, 0.9f, 5e-4f, da, dw, dv);
            be.batchNormRunningUpdate(dm, ds, 1e-5f, 131, 0.1f, drm, drv);
            return new Tensor[] {be.download(y), be.download(db), be.download(dw), be.download(dv), be.download(drm),
                be.download(drv)};
        }
    }

    @Test
    void multiplySgdStepAndRunningAverages() {
        SplittableRandom rng = new SplittableRandom(17);
        int n = 1037;
        int c = 13;
        Tensor a = uniform(rng, n);
        Tensor b = uniform(rng, n);
        Tensor w = uniform(rng, n);
        Tensor v = uniform(rng, n);
        Tensor mean = uniform(rng, c);
        Tensor invStd = uniform(rng, c);
        for (int i = 0; i < c; i++) {
            invStd.data()[i] = 0.5f + Math.abs(invStd.data()[i]);   // a real 1/σ is positive
        }
        Tensor rm = uniform(rng, c);
        Tensor rv = uniform(rng, c);
        Tensor[] expected = trainingOps(CPU, a, b, w, v, mean, invStd, rm, rv);
        Tensor[] actual = trainingOps(cl, a, b, w, v, mean, invStd, rm, rv);
        String[] what = {"multiply", "multiply in place", "sgd weight", "sgd velocity", "running mean", "running variance"};
        for (int i = 0; i < expected.length; i++) {
            // One or two float roundings per element (the CPU running update is in double): 1e-6 relative.
            assertClose(expected[i], actual[i], 1e-5, what[i]);
        }
    }

    @Test
    void reshapeSharesStorageAndOutlivesEitherHandle() {
        Tensor x = uniform(new SplittableRandom(5), 6, 5, 1, 1);
        DeviceTensor dx = cl.upload(x);
        DeviceTensor view = cl.reshape(dx, 6, 5);
        assertArrayEquals(new int[] {6, 5}, view.shape());
        dx.close();                                              // the view keeps the buffer alive
        cl.axpy(1f, view, view);                                 // y ← 2y through the view
        Tensor twice = cl.download(view);
        for (int i = 0; i < x.size(); i++) {
            assertEquals(2 * x.data()[i], twice.data()[i], 0, "element " + i);
        }
        view.close();
        assertThrows(IllegalArgumentException.class, () -> cl.reshape(cl.zeros(3, 4), 5, 2));
    }

    @Test
    void residentVggStepsMatchTheCpu() {
        // Six resident training steps of a small VGG on both backends from the same weights, batches and
        // dropout stream; the CPU resident path is itself checked against the autograd graph
        // (ResidentTrainingTest).
        List<Tensor> data = ResidentTrainingTest.batches(6, 7, 5);
        Vgg a = Vgg.create(ResidentTrainingTest.small(), 0.3, new SplittableRandom(3));
        Vgg b = Vgg.create(ResidentTrainingTest.small(), 0.3, new SplittableRandom(3));
        Sgd sa = new Sgd(a.parameters(), 0.05, 0.9, 5e-4);
        Sgd sb = new Sgd(b.parameters(), 0.05, 0.9, 5e-4);
        double[] la = ResidentTrainingTest.resident(a, sa, CPU, data, 11);
        double[] lb = ResidentTrainingTest.resident(b, sb, cl, data, 11);
        List<Tensor> ta = ResidentTrainingTest.state(a, sa);
        List<Tensor> tb = ResidentTrainingTest.state(b, sb);
        for (int i = 0; i < la.length; i++) {
            assertEquals(la[i], lb[i], 1e-4 * Math.abs(la[i]), "loss of step " + (i + 1));
        }
        for (int i = 0; i < ta.size(); i++) {
            // Different summation orders in every reduction (GEMM, convolution, batch norm), compounded
            // over six steps through batch norm: relative 1e-3 (a wrong kernel differs at order 1).
            double d = ResidentTrainingTest.maxRelativeDifference(ta.get(i), tb.get(i));
            assertTrue(d < 1e-3, "state tensor " + i + " " + ta.get(i).shapeString() + " differs by " + d);
        }
    }

    @Test
    void matrixProductsRoutedToOpenClEqualTheJavaKernel() {
        // Second implementation: MatMul's Java kernel, same operands (offsets, transposes, accumulate).
        SplittableRandom rng = new SplittableRandom(23);
        int[][] shapes = {{1, 37, 5}, {33, 1, 17}, {65, 31, 129}, {7, 200, 3}};
        GemmOffload previous = MatMul.setOffload(null);
        try {
            for (int[] s : shapes) {
                int m = s[0];
                int n = s[1];
                int k = s[2];
                for (int t = 0; t < 4; t++) {
                    boolean ta = (t & 1) != 0;
                    boolean tb = (t & 2) != 0;
                    float[] a = uniform(rng, 3 + m * k).data();
                    float[] b = uniform(rng, 5 + k * n).data();
                    float[] c0 = uniform(rng, 2 + m * n).data();
                    for (boolean acc : new boolean[] {false, true}) {
                        float[] expected = c0.clone();
                        float[] actual = c0.clone();
                        MatMul.setOffload(null);
                        MatMul.gemm(ta, tb, m, n, k, a, 3, b, 5, expected, 2, acc, true);
                        MatMul.setOffload(new OpenClGemm(cl, 1));
                        MatMul.gemm(ta, tb, m, n, k, a, 3, b, 5, actual, 2, acc, true);
                        String what = "gemm " + m + "×" + n + "×" + k + " transA=" + ta + " transB=" + tb + " acc=" + acc;
                        // Sums of ≤ 129 products of values in [−1, 1] in another order: 1e-4 absolute.
                        assertClose(Tensor.wrap(expected, expected.length), Tensor.wrap(actual, actual.length), 1e-4, what);
                    }
                }
            }
        } finally {
            MatMul.setOffload(previous);
        }
    }

    @Test
    void explicitOpenClRoutesProductsUntilClosed() {
        Devices.Request o = Devices.parse("opencl:" + Integer.getInteger("ntklc.opencl.device", 0));
        GemmOffload before = MatMul.setOffload(null);
        try {
            try (Devices.Route route = Devices.routeMatrixProducts(o, line -> { })) {
                GemmOffload installed = MatMul.setOffload(null);
                MatMul.setOffload(installed);
                assertTrue(installed instanceof OpenClGemm, "opencl routing installed");
                assertTrue(installed.wants(64, 64, 64) && !installed.wants(63, 64, 64), "threshold 64³");
            }
            GemmOffload after = MatMul.setOffload(null);
            assertTrue(after == null, "closing the route restores the previous (none)");
        } finally {
            MatMul.setOffload(before);
        }
    }

    @Test
    void aBufferOverTheDeviceLimitIsRefusedWithAHint() {
        long floats = cl.device().maxAllocBytes() / 4 + 1;
        Assumptions.assumeTrue(floats < Integer.MAX_VALUE - 8, "device buffer limit exceeds the 2^31-element tensor limit");
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> cl.zeros((int) floats));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("MiB"), e.getMessage());
    }

    @Test
    void softmaxCrossEntropy() {
        SplittableRandom rng = new SplittableRandom(15);
        int[][] shapes = {{1, 1}, {1, 10}, {7, 3}, {65, 10}};
        for (int[] s : shapes) {
            Tensor z = uniform(rng, s);
            for (int i = 0; i < z.size(); i++) {
                z.data()[i] *= 20; // logits up to ±20: exercises the max subtraction
            }
            Tensor labels = Tensor.zeros(s[0]);
            for (int i = 0; i < s[0]; i++) {
                labels.data()[i] = rng.nextInt(s[1]);
            }
            double[] loss = new double[2];
            Tensor[] grads = new Tensor[2];
            Backend[] both = {CPU, cl};
            for (int b = 0; b < 2; b++) {
                try (DeviceTensor dz = both[b].upload(z); DeviceTensor dl = both[b].upload(labels);
                     DeviceTensor g = both[b].zeros(s)) {
                    loss[b] = both[b].softmaxCrossEntropy(dz, dl, g);
                    grads[b] = both[b].download(g);
                }
            }
            // Float log-sum-exp of values up to 40 in magnitude: a few ulp of 40 ≈ 1e-5.
            assertEquals(loss[0], loss[1], 2e-5, "loss " + java.util.Arrays.toString(s));
            assertClose(grads[0], grads[1], 1e-6, "softmax gradient " + java.util.Arrays.toString(s));
        }
    }
}
