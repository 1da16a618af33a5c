package ntklc.backend;

import ntklc.activation.PointwiseOp;
import ntklc.backend.cpu.BatchNorm2d;
import ntklc.backend.cpu.Conv3x3;
import ntklc.backend.cpu.MaxPool2x2;
import ntklc.backend.cpu.SgdMomentum;
import ntklc.backend.cpu.SoftmaxCrossEntropy;
import ntklc.tensor.MatMul;
import ntklc.tensor.Tensor;

/**
 * The pure-Java backend: every operation is the reference implementation of {@link ntklc.backend.cpu}
 * or {@link MatMul}, on host tensors. Always available; the fallback when no OpenCL device is.
 */
public final class CpuBackend implements Backend {
    /** A host tensor seen as a device tensor of this backend. */
    private record HostTensor(Tensor t, CpuBackend backend) implements DeviceTensor {
        @Override
        public int[] shape() {
            return t.shape();
        }

        @Override
        public int size() {
            return t.size();
        }

        @Override
        public void close() {
            // Host memory is reclaimed by the garbage collector.
        }
    }

    @Override
    public String name() {
        return "cpu (" + MatMul.kernelDescription() + " GEMM)";
    }

    @Override
    public DeviceTensor upload(Tensor host) {
        return new HostTensor(host.copy(), this);
    }

    @Override
    public DeviceTensor zeros(int... shape) {
        return new HostTensor(Tensor.zeros(shape), this);
    }

    @Override
    public Tensor download(DeviceTensor t) {
        return host(t).copy();
    }

    /** The host tensor behind {@code t} (no copy). */
    private Tensor host(DeviceTensor t) {
        if (!(t instanceof HostTensor h) || h.backend() != this) {
            throw new IllegalArgumentException("tensor " + t.shapeString() + " does not belong to this CPU backend");
        }
        return h.t();
    }

    private static void copyInto(Tensor from, Tensor to, String op) {
        if (from.size() != to.size()) {
            throw new IllegalArgumentException(op + ": output has " + to.size() + " elements, expected " + from.size()
                    + " " + from.shapeString());
        }
        System.arraycopy(from.data(), 0, to.data(), 0, from.size());
    }

    @Override
    public void gemm(boolean transA, boolean transB, DeviceTensor a, DeviceTensor b, DeviceTensor c, boolean accumulate) {
        Tensor ha = host(a);
        Tensor hb = host(b);
        Tensor hc = host(c);
        int m = transA ? ha.cols() : ha.rows();
        int k = transA ? ha.rows() : ha.cols();
        int n = transB ? hb.rows() : hb.cols();
        int kb = transB ? hb.cols() : hb.rows();
        if (k != kb || hc.rows() != m || hc.cols() != n) {
            throw new IllegalArgumentException("gemm: shapes " + ha.shapeString() + (transA ? "ᵀ" : "") + " · "
                    + hb.shapeString() + (transB ? "ᵀ" : "") + " → " + hc.shapeString() + " do not fit");
        }
        MatMul.gemm(transA, transB, m, n, k, ha.data(), 0, hb.data(), 0, hc.data(), 0, accumulate, true);
    }

    @Override
    public void conv3x3Forward(DeviceTensor x, DeviceTensor w, DeviceTensor y) {
        Conv3x3.forward(host(x), host(w), host(y));
    }

    @Override
    public void conv3x3BackwardData(DeviceTensor dy, DeviceTensor w, DeviceTensor dx) {
        Conv3x3.backwardData(host(dy), host(w), host(dx));
    }

    @Override
    public void conv3x3BackwardWeights(DeviceTensor x, DeviceTensor dy, DeviceTensor dw) {
        Conv3x3.backwardWeights(host(x), host(dy), host(dw));
    }

    @Override
    public void maxPoolForward(DeviceTensor x, DeviceTensor y, DeviceTensor window) {
        MaxPool2x2.Result r = MaxPool2x2.forward(host(x));
        copyInto(r.y(), host(y), "max_pool_forward");
        copyInto(r.window(), host(window), "max_pool_forward");
    }

    @Override
    public void maxPoolBackward(DeviceTensor dy, DeviceTensor window, DeviceTensor dx) {
        copyInto(MaxPool2x2.backward(host(dy), host(window), dx.dim(2), dx.dim(3)), host(dx), "max_pool_backward");
    }

    @Override
    public void batchNormForward(DeviceTensor x, DeviceTensor gamma, DeviceTensor beta, float eps,
                                 DeviceTensor y, DeviceTensor mean, DeviceTensor invStd) {
        BatchNorm2d.Forward f = BatchNorm2d.forward(host(x), host(gamma), host(beta), eps);
        copyInto(f.y(), host(y), "batch_norm_forward");
        copyInto(f.mean(), host(mean), "batch_norm_forward");
        copyInto(f.invStd(), host(invStd), "batch_norm_forward");
    }

    @Override
    public void batchNormBackward(DeviceTensor dy, DeviceTensor x, DeviceTensor gamma, DeviceTensor mean,
                                  DeviceTensor invStd, DeviceTensor dx, DeviceTensor dGamma, DeviceTensor dBeta) {
        BatchNorm2d.Backward b = BatchNorm2d.backward(host(dy), host(x), host(gamma), host(mean), host(invStd));
        copyInto(b.dx(), host(dx), "batch_norm_backward");
        copyInto(b.dGamma(), host(dGamma), "batch_norm_backward");
        copyInto(b.dBeta(), host(dBeta), "batch_norm_backward");
    }

    @Override
    public void pointwiseForward(PointwiseOp op, DeviceTensor x, DeviceTensor y) {
        Tensor.requireSameShape(host(x), host(y), op.opName() + "_forward");
        float[] in = host(x).data();
        op.forward(in, host(y).data(), 0, in.length);
    }

    @Override
    public void pointwiseBackward(PointwiseOp op, DeviceTensor x, DeviceTensor dy, DeviceTensor dx) {
        Tensor.requireSameShape(host(x), host(dy), op.opName() + "_backward");
        Tensor.requireSameShape(host(x), host(dx), op.opName() + "_backward");
        float[] in = host(x).data();
        op.backward(in, host(dy).data(), host(dx).data(), 0, in.length);
    }

    @Override
    public void axpy(float alpha, DeviceTensor x, DeviceTensor y) {
        float[] xs = host(x).data();
        float[] ys = host(y).data();
        if (xs.length != ys.length) {
            throw new IllegalArgumentException("axpy: sizes differ, " + x.shapeString() + " vs " + y.shapeString());
        }
        for (int i = 0; i < xs.length; i++) {
            ys[i] += alpha * xs[i];
        }
    }

    @Override
    public void multiply(DeviceTensor a, DeviceTensor b, DeviceTensor y) {
        float[] as = host(a).data();
        float[] bs = host(b).data();
        float[] ys = host(y).data();
        if (as.length != bs.length || as.length != ys.length) {
            throw new IllegalArgumentException("multiply: sizes differ, " + a.shapeString() + ", " + b.shapeString()
                    + ", " + y.shapeString());
        }
        for (int i = 0; i < ys.length; i++) {
            ys[i] = as[i] * bs[i];
        }
    }

    @Override
    public void sgdStep(float lr, float momentum, float weightDecay, DeviceTensor grad, DeviceTensor weight,
                        DeviceTensor velocity) {
        SgdMomentum.step(lr, momentum, weightDecay, host(grad).data(), host(weight).data(), host(velocity).data());
    }

    @Override
    public void batchNormRunningUpdate(DeviceTensor mean, DeviceTensor invStd, float eps, long count, float momentum,
                                       DeviceTensor runningMean, DeviceTensor runningVariance) {
        BatchNorm2d.runningUpdate(host(mean), host(invStd), eps, count, momentum, host(runningMean),
                host(runningVariance));
    }

    @Override
    public DeviceTensor reshape(DeviceTensor t, int... shape) {
        return new HostTensor(host(t).reshape(shape), this);
    }

    @Override
    public double sum(DeviceTensor x) {
        double s = 0;
        for (float v : host(x).data()) {
            s += v;
        }
        return s;
    }

    @Override
    public double softmaxCrossEntropy(DeviceTensor logits, DeviceTensor labels, DeviceTensor dLogits) {
        float[] l = host(labels).data();
        int[] y = new int[l.length];
        for (int i = 0; i < l.length; i++) {
            y[i] = (int) l[i];
        }
        SoftmaxCrossEntropy.Result r = SoftmaxCrossEntropy.compute(host(logits), y);
        copyInto(r.dLogits(), host(dLogits), "softmax cross-entropy");
        return r.loss();
    }

    @Override
    public void finish() {
        // Every CPU operation completes before it returns.
    }

    @Override
    public void close() {
        // Nothing to release.
    }
}
