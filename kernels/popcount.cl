// popcount.cl — the integer counts of a ternary weight matrix against binary inputs (the hidden
// layers of the packed NTK-LC engine, docs/theory.md §6.2).
//
// Computes, for every sample s in [0, n) and row j in [0, dOut):
//   C[s, j] = Σ_w popcount(P[j, w] & H[s, w]) − popcount(M[j, w] & H[s, w]),   w in [0, words)
// where H holds the inputs b ∈ {0, 1} and P, M the +1 and −1 planes of T ∈ {−1, 0, +1}.
// With signsOnly ≠ 0 (no zero weight, ε = 0) M is not read: popcount(M ∧ H) = popcount(H) − popcount(P ∧ H).
//
// Layout: row-major 64-bit words, bit (i mod 64) of word ⌊i/64⌋ is column i; padding bits 0.
//   H: n × words,  P, M: dOut × words,  C: n × dOut (int32, row-major).
// Index layout: work-item (gx, gy) computes C[gy, gx] (gx = row j, gy = sample s); guarded, so the
// global size may be rounded up.
// Work sizes: global = (dOut, n), any local size (the host passes (8, 1) on CPU devices, NULL on GPUs).
// CPU reference: ntklc.compression.packed.PopcountKernel.counts (same formula, same layout).

__kernel void ternary_counts(const int n, const int dOut, const int words, const int signsOnly,
                             __global const ulong* H, __global const ulong* P, __global const ulong* M,
                             __global int* C) {
    const int j = get_global_id(0);
    const int s = get_global_id(1);
    if (j >= dOut || s >= n) {
        return;
    }
    __global const ulong* h = H + (size_t) s * words;
    __global const ulong* p = P + (size_t) j * words;
    int plus = 0;
    int minus = 0;
    if (signsOnly) {
        int total = 0;
        for (int w = 0; w < words; w++) {
            const ulong x = h[w];
            total += (int) popcount(x);
            plus += (int) popcount(p[w] & x);
        }
        minus = total - plus;
    } else {
        __global const ulong* m = M + (size_t) j * words;
        for (int w = 0; w < words; w++) {
            const ulong x = h[w];
            plus += (int) popcount(p[w] & x);
            minus += (int) popcount(m[w] & x);
        }
    }
    C[(size_t) s * dOut + j] = plus - minus;
}
