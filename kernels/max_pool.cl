// max_pool.cl — 2×2 max-pooling with stride 2 (VGG19 "M", docs/theory.md §1.4). CPU reference:
// ntklc.backend.cpu.MaxPool2x2.
//
// max_pool_forward: x: P×H×W planes (P = N·C) → y, window: P×Ho×Wo with Ho = H/2, Wo = W/2 (floor);
//   y[p,a,b] = max over x[p, 2a+i, 2b+j], window[p,a,b] = 2i+j of the first maximum.
//   Work sizes: global = (Wo, Ho, P), any local size.
// max_pool_backward: dx[p,h,v] = dy[p,h/2,v/2] if window[p,h/2,v/2] == 2(h%2)+(v%2) (and the
//   position lies inside the pooled area), else 0 — a gather, so no atomics are needed.
//   Work sizes: global = (W, H, P), any local size.

__kernel void max_pool_forward(const int H, const int W, __global const float* x,
                              __global float* y, __global float* window) {
    const int b = get_global_id(0);
    const int a = get_global_id(1);
    const int p = get_global_id(2);
    const int Ho = H / 2;
    const int Wo = W / 2;
    if (a >= Ho || b >= Wo) {
        return;
    }
    __global const float* base = x + ((long) p * H + 2 * a) * W + 2 * b;
    float best = base[0];
    int arg = 0;
    if (base[1] > best) { best = base[1]; arg = 1; }
    if (base[W] > best) { best = base[W]; arg = 2; }
    if (base[W + 1] > best) { best = base[W + 1]; arg = 3; }
    const long o = ((long) p * Ho + a) * Wo + b;
    y[o] = best;
    window[o] = (float) arg;
}

__kernel void max_pool_backward(const int H, const int W, __global const float* dy,
                               __global const float* window, __global float* dx) {
    const int v = get_global_id(0);
    const int h = get_global_id(1);
    const int p = get_global_id(2);
    if (h >= H || v >= W) {
        return;
    }
    const int Ho = H / 2;
    const int Wo = W / 2;
    float g = 0.0f;
    if (h / 2 < Ho && v / 2 < Wo) {
        const long o = ((long) p * Ho + h / 2) * Wo + v / 2;
        if ((int) window[o] == 2 * (h % 2) + (v % 2)) {
            g = dy[o];
        }
    }
    dx[((long) p * H + h) * W + v] = g;
}
