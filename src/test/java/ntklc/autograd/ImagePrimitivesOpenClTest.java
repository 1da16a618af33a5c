package ntklc.autograd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import ntklc.activation.PointwiseOp;
import ntklc.backend.Backend;
import ntklc.backend.CpuBackend;
import ntklc.backend.opencl.OpenClBackend;
import ntklc.backend.opencl.OpenClTestDevice;
import ntklc.tensor.Tensor;
import ntklc.tensor.TestTensors;

/**
 * The image primitives give the same values and gradients on the OpenCL backend as on the CPU
 * reference (which {@link ConvPoolNormGradCheckTest} checks against finite differences): one VGG
 * block, conv3×3 → batch norm → ReLU → max-pool, at an awkward shape (odd channels, 6×5 images).
 * Skipped, saying why, when no OpenCL device is present.
 */
@Tag("opencl")
class ImagePrimitivesOpenClTest {
    private static OpenClBackend cl;

    @BeforeAll
    static void openDevice() {
        cl = OpenClTestDevice.openOrSkip("OpenCL autograd parity skipped: ");
    }

    @AfterAll
    static void closeDevice() {
        OpenClTestDevice.close(cl);
    }

    /** Output and the gradients of {@code Σ r·output} with respect to every input, on one backend. */
    private static List<Tensor> run(Function<List<Variable>, Variable> f, List<Tensor> inputs, Tensor r) {
        List<Variable> vars = inputs.stream().map(t -> Variable.parameter(t.copy())).toList();
        Variable out = f.apply(vars);
        out.backward(r);
        List<Tensor> result = new java.util.ArrayList<>();
        result.add(out.value());
        vars.forEach(v -> result.add(v.grad()));
        return result;
    }

    @Test
    void oneVggBlockMatchesTheCpu() {
        SplittableRandom rng = new SplittableRandom(51);
        List<Tensor> inputs = List.of(TestTensors.uniform(rng, 3, 5, 6, 5), TestTensors.uniform(rng, 7, 5, 3, 3),
                GradCheckTest.awayFromZero(rng, 7), TestTensors.uniform(rng, 7));
        Tensor r = TestTensors.uniform(rng, 3, 7, 3, 2);
        List<Tensor> expected = run(v -> block(v, new CpuBackend()), inputs, r);
        List<Tensor> actual = run(v -> block(v, cl), inputs, r);
        for (int i = 0; i < expected.size(); i++) {
            float[] e = expected.get(i).data();
            float[] a = actual.get(i).data();
            assertEquals(e.length, a.length);
            for (int j = 0; j < e.length; j++) {
                // float32 sums in a different order: relative 1e−4 with an absolute floor of 1e−4
                assertEquals(e[j], a[j], 1e-4 * Math.max(1, Math.abs(e[j])), "tensor " + i + " entry " + j);
            }
        }
    }

    private static Variable block(List<Variable> v, Backend b) {
        Variable h = Convolution3x3.apply(v.get(0), v.get(1), b);
        h = BatchNorm.apply(h, v.get(2), v.get(3), b, null);
        return MaxPool.apply(Pointwise.apply(h, PointwiseOp.RELU), b);
    }
}
