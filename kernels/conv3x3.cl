// conv3x3.cl — data movement for the 3×3 / stride-1 / pad-1 convolution (VGG19, docs/theory.md §1.4);
// the arithmetic is done by sgemm.cl. CPU reference: ntklc.backend.cpu.Conv3x3.
//
// im2col: for images n in [n0, n0 + count) of x: N×C×H×W,
//   col[((n−n0)·C·9 + c·9 + i·3 + j)·H·W + h·W + v] = x[n, c, h+i−1, v+j−1]   (0 outside the image)
//   so that y_n = w · col_n with w: K×(C·9) is a GEMM.
//   Work sizes: global = (H·W, C·9, count), any local size.
// im2col_t: the transpose per image, colT[((n−n0)·H·W + h·W + v)·C·9 + c·9 + i·3 + j] = same value,
//   so that dw = Σ_n dy_n · colT_n is a GEMM without transposes.
//   Work sizes: global = (C·9, H·W, count), any local size.
// flip_weights: f[c, k, i, j] = w[k, c, 2−i, 2−j] (weights of the transposed convolution: the data
//   gradient is dx = conv(dy, flip(w))).  Work sizes: global = (9, C, K), any local size.

__kernel void im2col(const int C, const int H, const int W, const int n0,
                     __global const float* x, __global float* col) {
    const int s = get_global_id(0);
    const int row = get_global_id(1);
    const int b = get_global_id(2);
    if (s >= H * W || row >= C * 9) {
        return;
    }
    const int c = row / 9;
    const int t = row - 9 * c;
    const int h = s / W + t / 3 - 1;
    const int v = s % W + t % 3 - 1;
    const bool inside = h >= 0 && h < H && v >= 0 && v < W;
    col[((long) b * C * 9 + row) * H * W + s] = inside ? x[(((long) (n0 + b) * C + c) * H + h) * W + v] : 0.0f;
}

__kernel void im2col_t(const int C, const int H, const int W, const int n0,
                       __global const float* x, __global float* colT) {
    const int row = get_global_id(0);
    const int s = get_global_id(1);
    const int b = get_global_id(2);
    if (s >= H * W || row >= C * 9) {
        return;
    }
    const int c = row / 9;
    const int t = row - 9 * c;
    const int h = s / W + t / 3 - 1;
    const int v = s % W + t % 3 - 1;
    const bool inside = h >= 0 && h < H && v >= 0 && v < W;
    colT[((long) b * H * W + s) * C * 9 + row] = inside ? x[(((long) (n0 + b) * C + c) * H + h) * W + v] : 0.0f;
}

__kernel void flip_weights(const int K, const int C, __global const float* w, __global float* f) {
    const int t = get_global_id(0);
    const int c = get_global_id(1);
    const int k = get_global_id(2);
    if (t < 9 && c < C && k < K) {
        f[(c * K + k) * 9 + (8 - t)] = w[(k * C + c) * 9 + t];
    }
}
