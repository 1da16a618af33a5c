package ntklc.compression.packed;

import java.util.Arrays;

import ntklc.tensor.MatMul;

/**
 * The transposed ternary weights {@code Tᵀ} ({@code d_{ℓ−1}×d_ℓ}, {@code B[i, j] = T_ji ∈ {−1, 0, +1}})
 * as the right operand of a float GEMM, decoded block by block straight into the GEMM's packed panels
 * ({@link MatMul.PanelSource}): a dense copy of the weights never exists, only the panels of one
 * block at a time (as for the im2col matrix of a convolution). The decoding costs one write per
 * entry of a block; the GEMM then reuses the block for every sample of the batch.
 */
final class TernaryPanels implements MatMul.PanelSource {
    private final TernaryMatrix t;

    TernaryPanels(TernaryMatrix t) {
        this.t = t;
    }

    @Override
    public void pack(int pc, int kc, int jc, int nc, int nr, float[] panels) {
        int panelCount = (nc + nr - 1) / nr;
        Arrays.fill(panels, 0, panelCount * nr * kc, 0f);
        for (int c = 0; c < nc; c++) {
            // column c of the block is unit jc + c: panel c / nr, lane c % nr
            t.decodeRow(jc + c, pc, pc + kc, panels, (c / nr) * nr * kc + c % nr, nr);
        }
    }
}
