// elementwise.cl — element-wise activations, their backward passes, axpy, and a block sum.
// CPU reference: ntklc.activation.PointwiseOp (activations), ntklc.backend.CpuBackend (axpy, sum).
//
// <op>_forward:  y[i] = σ(x[i]);         <op>_backward: dx[i] = σ'(x[i])·dy[i]
//   for op in relu (σ = max(x,0), NaN kept; backward a select), tanh, sigmoid (σ = 1/(1+e^−x)),
//   the op names of PointwiseOp.opName().
// axpy: y[i] += alpha·x[i].   multiply: y[i] = a[i]·b[i] (dropout masks).
// sgd_step: g = grad[i] + wd·w[i]; v[i] = mu·v[i] + g; w[i] −= lr·v[i] (SGD with momentum and weight
//   decay in PyTorch's form; CPU reference ntklc.backend.cpu.SgdMomentum).
//   All: one work-item per element; work sizes: global = (n rounded up), any local size.
// sum: partial[g] = Σ of the elements of x in block g, blocks of LS·CHUNK consecutive
//   elements; one work-group of LS work-items per block, a tree reduction in local memory; the
//   host adds the partial sums (in double).  Work sizes: global = (blocks·LS), local = (LS).
// Tuning constants (build options): -D LS=<work-group size, power of two>, -D CHUNK=<elements per work-item>.

#ifndef LS
#define LS 64
#endif
#ifndef CHUNK
#define CHUNK 64
#endif

__kernel void relu_forward(const int n, __global const float* x, __global float* y) {
    const int i = get_global_id(0);
    if (i < n) {
        const float v = x[i];
        y[i] = isnan(v) ? v : fmax(v, 0.0f); // fmax alone would turn NaN into 0
    }
}

__kernel void relu_backward(const int n, __global const float* x, __global const float* dy, __global float* dx) {
    const int i = get_global_id(0);
    if (i < n) {
        dx[i] = x[i] > 0.0f ? dy[i] : 0.0f;
    }
}

__kernel void tanh_forward(const int n, __global const float* x, __global float* y) {
    const int i = get_global_id(0);
    if (i < n) {
        y[i] = tanh(x[i]);
    }
}

__kernel void tanh_backward(const int n, __global const float* x, __global const float* dy, __global float* dx) {
    const int i = get_global_id(0);
    if (i < n) {
        const float t = tanh(x[i]);
        dx[i] = (1.0f - t * t) * dy[i];
    }
}

__kernel void sigmoid_forward(const int n, __global const float* x, __global float* y) {
    const int i = get_global_id(0);
    if (i < n) {
        y[i] = 1.0f / (1.0f + exp(-x[i]));
    }
}

__kernel void sigmoid_backward(const int n, __global const float* x, __global const float* dy, __global float* dx) {
    const int i = get_global_id(0);
    if (i < n) {
        const float s = 1.0f / (1.0f + exp(-x[i]));
        dx[i] = s * (1.0f - s) * dy[i];
    }
}

__kernel void axpy(const int n, const float alpha, __global const float* x, __global float* y) {
    const int i = get_global_id(0);
    if (i < n) {
        y[i] += alpha * x[i];
    }
}

__kernel void multiply(const int n, __global const float* a, __global const float* b, __global float* y) {
    const int i = get_global_id(0);
    if (i < n) {
        y[i] = a[i] * b[i];
    }
}

__kernel void sgd_step(const int n, const float lr, const float mu, const float wd,
                       __global const float* grad, __global float* w, __global float* v) {
    const int i = get_global_id(0);
    if (i < n) {
        const float g = grad[i] + wd * w[i];
        const float vi = mu * v[i] + g;
        v[i] = vi;
        w[i] -= lr * vi;
    }
}

__kernel void sum(const int n, __global const float* x, __global float* partial) {
    __local float buf[LS];
    const int l = get_local_id(0);
    const long start = (long) get_group_id(0) * LS * CHUNK;
    float s = 0.0f;
    for (int q = 0; q < CHUNK; q++) {
        const long i = start + (long) q * LS + l;
        if (i < n) {
            s += x[i];
        }
    }
    buf[l] = s;
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int h = LS / 2; h > 0; h >>= 1) {
        if (l < h) {
            buf[l] += buf[l + h];
        }
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    if (l == 0) {
        partial[get_group_id(0)] = buf[0];
    }
}
