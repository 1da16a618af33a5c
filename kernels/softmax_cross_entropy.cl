// softmax_cross_entropy.cl — fused softmax + cross-entropy (the VGG training loss, docs/theory.md §1.4). CPU
// reference and the reason for fusing: ntklc.backend.cpu.SoftmaxCrossEntropy.
//
// For row r of logits z: N×K with label y_r (stored as a float):
//   loss[r] = log Σ_k exp(z_rk − m_r) + m_r − z_{r,y_r},  m_r = max_k z_rk
//   dz[r,k] = (exp(z_rk − m_r) / Σ_k exp(z_rk − m_r) − 1[k = y_r]) / N
// Each row's loss stays separate on the device: the host downloads loss[0..N) and averages it in
// double (OpenClBackend.softmaxCrossEntropy), as the CPU reference does.
// Work sizes: global = (N), one work-item per row, any local size.

__kernel void softmax_cross_entropy(const int N, const int K, __global const float* z, __global const float* labels,
                           __global float* loss, __global float* dz) {
    const int r = get_global_id(0);
    if (r >= N) {
        return;
    }
    __global const float* row = z + (long) r * K;
    float m = row[0];
    for (int k = 1; k < K; k++) {
        m = fmax(m, row[k]);
    }
    float sum = 0.0f;
    for (int k = 0; k < K; k++) {
        sum += exp(row[k] - m);
    }
    const int y = (int) labels[r];
    loss[r] = log(sum) + m - row[y];
    for (int k = 0; k < K; k++) {
        dz[(long) r * K + k] = (exp(row[k] - m) / sum - (k == y ? 1.0f : 0.0f)) / N;
    }
}
