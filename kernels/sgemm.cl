// sgemm.cl — batched single-precision matrix multiply, CPU-style register blocking.
// CPU reference: ntklc.tensor.MatMul (the GEMM variants gemm0…gemm3; OpenClParityTest checks this
// kernel against it).
//
// Computes, for every outer batch index z in [0, batchOuter):
//   C_z = beta·C_z + Σ_{q < batchInner} A_{z,q} · B_{z,q}
// with A: M×K, B: K×N, C: M×N row-major (leading dimensions lda, ldb, ldc), and
//   A_{z,q} = A + offA + z·strideAOuter + q·strideAInner   (likewise for B; C has only strideCOuter).
// One call therefore serves a plain GEMM (batchOuter = batchInner = 1), the convolution forward
// pass (A = weights with stride 0, one B and C per image) and the weight gradient
// (Σ over images of dy_n · col_nᵀ, batchInner = images).
//
// Index layout: work-item (gx, gy, z) owns the RM×RN block of C_z with rows [gy·RM, gy·RM+RM) and
// columns [gx·RN, gx·RN+RN); it keeps RM accumulators of the vector type floatRN and, per k step,
// loads one row segment of B as a floatRN and broadcasts RM scalars of A (this is what runs fast on
// PoCL's CPU device — work-group local-memory tiling runs ~50× slower there).
// Work sizes: global = (ceil(N/RN), ceil(M/RM), batchOuter), dimension 0 possibly rounded up; any
// local size (the host passes (8,1,1) on CPU devices, NULL on GPUs).
// Tuning constants (build options): -D RM=<rows per work-item> -D RN=<4|8|16 columns per work-item>.

#ifndef RM
#define RM 8
#endif
#ifndef RN
#define RN 16
#endif

#define CAT_(a, b) a##b
#define CAT(a, b) CAT_(a, b)
#define VEC CAT(float, RN)
#define VLOAD CAT(vload, RN)
#define VSTORE CAT(vstore, RN)

__kernel void sgemm(const int M, const int N, const int K, const int batchInner,
                    __global const float* A, const int offA, const int lda, const int strideAOuter, const int strideAInner,
                    __global const float* B, const int offB, const int ldb, const int strideBOuter, const int strideBInner,
                    __global float* C, const int offC, const int ldc, const int strideCOuter, const float beta) {
    const int j0 = get_global_id(0) * RN;
    const int i0 = get_global_id(1) * RM;
    const int z = get_global_id(2);
    if (i0 >= M || j0 >= N) {
        return;
    }
    const bool fullCols = j0 + RN <= N;
    VEC acc[RM];
    for (int r = 0; r < RM; r++) {
        acc[r] = (VEC)(0.0f);
    }
    for (int q = 0; q < batchInner; q++) {
        __global const float* a = A + offA + z * strideAOuter + q * strideAInner;
        __global const float* b = B + offB + z * strideBOuter + q * strideBInner;
        for (int p = 0; p < K; p++) {
            VEC bv;
            if (fullCols) {
                bv = VLOAD(0, b + p * ldb + j0);
            } else {
                float tmp[RN];
                for (int j = 0; j < RN; j++) {
                    tmp[j] = j0 + j < N ? b[p * ldb + j0 + j] : 0.0f;
                }
                bv = VLOAD(0, tmp);
            }
#pragma unroll
            for (int r = 0; r < RM; r++) {
                // Rows past M re-read row M−1 (always valid) and are never stored.
                const int row = min(i0 + r, M - 1);
                acc[r] = fma((VEC)(a[row * lda + p]), bv, acc[r]);
            }
        }
    }
    __global float* c = C + offC + z * strideCOuter;
    for (int r = 0; r < RM && i0 + r < M; r++) {
        __global float* crow = c + (i0 + r) * ldc + j0;
        if (fullCols) {
            VEC old = beta == 0.0f ? (VEC)(0.0f) : VLOAD(0, crow);
            VSTORE(beta * old + acc[r], 0, crow);
        } else {
            float out[RN];
            VSTORE(acc[r], 0, out);
            for (int j = 0; j < RN && j0 + j < N; j++) {
                crow[j] = (beta == 0.0f ? 0.0f : beta * crow[j]) + out[j];
            }
        }
    }
}

// Transpose of a rows×cols matrix: out[j·rows + i] = in[i·cols + j].
// Work sizes: global = (cols, rows), any local size.
__kernel void transpose(const int rows, const int cols, __global const float* in, __global float* out) {
    const int j = get_global_id(0);
    const int i = get_global_id(1);
    if (i < rows && j < cols) {
        out[j * rows + i] = in[i * cols + j];
    }
}
