/**
 * The packed engine: NTK-LC networks held as what the compression says they are, sparse ternary
 * weights in bits (paper Eq. (16), {@code docs/theory.md §6.1}) and binary activations in bits
 * ({@code docs/theory.md §6.2}), run with additions and bit counts only, and saved to model files
 * whose size is the real memory of the network ({@code docs/theory.md §7.2, §7.3}).
 *
 * <p>The network is the one of paper §4, Algorithm 1 (the compressed random-feature network whose
 * readout alone is trained). With weights {@code W_ℓ = a_ℓ·T_ℓ}, {@code T_ℓ ∈ {−1, 0, +1}^{d_ℓ×d_{ℓ−1}}},
 * {@code a_ℓ = 1/√(1−ε)}, and a two-level activation {@code σ ∈ {lo, hi}} on layer ℓ−1 stored as a
 * bit {@code b = [σ = hi]}, the pre-activation of unit j of layer ℓ is
 * <pre>
 *   u_j = a_ℓ/√d_{ℓ−1} · ( (hi − lo)·C_j + (lo − m0)·R_j ),
 *   C_j = Σ_i T_ji b_i = count(T⁺_j ∧ b) − count(T⁻_j ∧ b),   R_j = Σ_i T_ji,
 * </pre>
 * so {@code σ_ℓ(u_j)} is decided by comparing the exact integer {@code C_j} with integer
 * thresholds computed once per unit ({@link ntklc.compression.packed.UnitThresholds}). The first
 * layer (real input) is computed with additions and subtractions only, in float, and each unit's
 * thresholds are moved onto its float sum exactly (the least float {@code t_f} with
 * {@code a·t_f ≥ t}; {@link ntklc.compression.packed.FirstLayerKernel}). Activations of more levels
 * (σ_Q on every layer, the K-level staircases of the {@code tau-matched-Kbit} variants, up to 16
 * levels) are held as K − 1 one-hot planes, {@code σ = c_b + Σ_q (L_q − c_b)·P_q}; the next layer
 * then sums exact per-plane counts in double, adds the decoded levels across samples as the first
 * layer does, or multiplies them by the ternary weights decoded block by block into the float GEMM's
 * panels ({@link ntklc.compression.packed.TernaryLayer.Path}); the last layer's features are
 * kept as ⌈log2 K⌉-bit level codes ({@link ntklc.compression.packed.PackedFeatures}).
 *
 * <p>Classes: {@link ntklc.compression.packed.TernaryMatrix} (bit planes or sparse indices, chosen
 * per layer), {@link ntklc.compression.packed.BitSlicedKernel} (the CPU kernel: carry-save counting
 * across 64 samples per word, 256 per vector where the Vector API is present), {@link ntklc.compression.packed.PopcountKernel} (the reference
 * kernel, {@code Long.bitCount} per word, also the CPU reference of {@code kernels/popcount.cl}),
 * {@link ntklc.compression.packed.PackedNetwork}, {@link ntklc.compression.packed.PackedFeatures}
 * and {@link ntklc.compression.packed.ModelFile}.
 */
package ntklc.compression.packed;
