// batch_norm.cl — training-mode batch normalisation per channel over N×H×W (docs/theory.md §1.4).
// CPU reference and formulas: ntklc.backend.cpu.BatchNorm2d. Tensors x, y, dy, dx: N×C×HW;
// per-channel vectors gamma, beta, mean, invStd, dGamma, dBeta: length C.
//
// batch_norm_forward_stats: mean[c] and invStd[c] = 1/sqrt(var[c] + eps) (biased variance, two passes).
// batch_norm_backward_reduce: dBeta[c] = Σ dy, dGamma[c] = Σ dy·x̂.
//   Both: one work-group per channel, LS work-items striding over the N·HW values of the channel,
//   then a tree reduction in local memory.  Work sizes: global = (C·LS), local = (LS).
// batch_norm_forward_apply:  y = gamma·(x − mean)·invStd + beta.
// batch_norm_backward_apply: dx = gamma·invStd/M · (M·dy − dBeta − x̂·dGamma), M = N·HW.
//   Both: one work-item per element.  Work sizes: global = (HW, C, N), any local size.
// batch_norm_running_update: running averages for evaluation (CPU reference BatchNorm2d.runningUpdate):
//   var = max(0, 1/invStd² − eps)·unbias (unbias = M/(M−1), from the host),
//   rmean = (1−mo)·rmean + mo·mean,  rvar = (1−mo)·rvar + mo·var.
//   One work-item per channel.  Work sizes: global = (C rounded up), any local size.
// Tuning constant (build option): -D LS=<work-group size, a power of two>.

#ifndef LS
#define LS 64
#endif

// Tree reduction of LS values in local memory; every work-item returns the total.
static float reduce_local(__local float* buf, float v) {
    const int l = get_local_id(0);
    buf[l] = v;
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int s = LS / 2; s > 0; s >>= 1) {
        if (l < s) {
            buf[l] += buf[l + s];
        }
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    const float total = buf[0];
    barrier(CLK_LOCAL_MEM_FENCE);
    return total;
}

__kernel void batch_norm_forward_stats(const int N, const int C, const int HW, const float eps, __global const float* x,
                       __global float* mean, __global float* invStd) {
    __local float buf[LS];
    const int c = get_group_id(0);
    const int l = get_local_id(0);
    const int count = N * HW;
    float s = 0.0f;
    for (int e = l; e < count; e += LS) {
        const int n = e / HW;
        s += x[((long) n * C + c) * HW + (e - n * HW)];
    }
    const float mu = reduce_local(buf, s) / count;
    float ss = 0.0f;
    for (int e = l; e < count; e += LS) {
        const int n = e / HW;
        const float d = x[((long) n * C + c) * HW + (e - n * HW)] - mu;
        ss += d * d;
    }
    const float var = reduce_local(buf, ss) / count;
    if (l == 0) {
        mean[c] = mu;
        invStd[c] = rsqrt(var + eps);
    }
}

__kernel void batch_norm_forward_apply(const int C, const int HW, __global const float* x, __global const float* gamma,
                               __global const float* beta, __global const float* mean, __global const float* invStd,
                               __global float* y) {
    const int s = get_global_id(0);
    const int c = get_global_id(1);
    const int n = get_global_id(2);
    if (s >= HW) {
        return;
    }
    const long i = ((long) n * C + c) * HW + s;
    y[i] = gamma[c] * (x[i] - mean[c]) * invStd[c] + beta[c];
}

__kernel void batch_norm_backward_reduce(const int N, const int C, const int HW, __global const float* dy,
                                 __global const float* x, __global const float* mean, __global const float* invStd,
                                 __global float* dGamma, __global float* dBeta) {
    __local float buf[LS];
    const int c = get_group_id(0);
    const int l = get_local_id(0);
    const int count = N * HW;
    const float mu = mean[c];
    const float inv = invStd[c];
    float sdy = 0.0f;
    float sdyx = 0.0f;
    for (int e = l; e < count; e += LS) {
        const int n = e / HW;
        const long i = ((long) n * C + c) * HW + (e - n * HW);
        sdy += dy[i];
        sdyx += dy[i] * (x[i] - mu) * inv;
    }
    const float totalDy = reduce_local(buf, sdy);
    const float totalDyX = reduce_local(buf, sdyx);
    if (l == 0) {
        dBeta[c] = totalDy;
        dGamma[c] = totalDyX;
    }
}

__kernel void batch_norm_backward_apply(const int N, const int C, const int HW, __global const float* dy,
                                __global const float* x, __global const float* gamma, __global const float* mean,
                                __global const float* invStd, __global const float* dGamma,
                                __global const float* dBeta, __global float* dx) {
    const int s = get_global_id(0);
    const int c = get_global_id(1);
    const int n = get_global_id(2);
    if (s >= HW) {
        return;
    }
    const float M = (float) N * HW;
    const long i = ((long) n * C + c) * HW + s;
    const float xhat = (x[i] - mean[c]) * invStd[c];
    dx[i] = gamma[c] * invStd[c] / M * (M * dy[i] - dBeta[c] - xhat * dGamma[c]);
}

__kernel void batch_norm_running_update(const int c, const float eps, const float unbias, const float mo,
                                __global const float* mean, __global const float* invStd,
                                __global float* rmean, __global float* rvar) {
    const int ch = get_global_id(0);
    if (ch < c) {
        const float s = invStd[ch];
        const float var = fmax(0.0f, 1.0f / (s * s) - eps) * unbias;
        rmean[ch] = (1.0f - mo) * rmean[ch] + mo * mean[ch];
        rvar[ch] = (1.0f - mo) * rvar[ch] + mo * var;
    }
}
