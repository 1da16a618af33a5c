package ntklc.compression;

import java.util.ArrayList;
import java.util.List;

import ntklc.activation.Activation;

/**
 * The solved NTK-LC activation chain (paper Algorithm 1, docs/theory.md §6.3) with one {@link LayerSolution}
 * per layer, the warnings about residuals that are not small, and the identity shift
 * {@code τ_L² − τ'_L²} by which the compressed CK's diagonal falls short of the original one.
 *
 * @param variant       last-layer treatment
 * @param tau0          τ0 of the data
 * @param layers        layers 1..L in order
 * @param identityShift {@code τ_L² − τ'_L²}; applied to the readout only for {@link LastLayerVariant#STEPWISE}
 * @param warnings      one line per layer whose F is not small (empty when every layer is solved)
 */
public record CompressionSolution(LastLayerVariant variant, double tau0, List<LayerSolution> layers,
                                  double identityShift, List<String> warnings) {
    public CompressionSolution {
        layers = List.copyOf(layers);
        warnings = List.copyOf(warnings);
    }

    /** The compressed activations σ'_1..σ'_L, ready for {@link RandomFeatureNetwork}. */
    public List<Activation> compressedChain() {
        List<Activation> out = new ArrayList<>();
        for (LayerSolution l : layers) {
            out.add(l.compressed());
        }
        return out;
    }

    /** The largest F over the layers. */
    public double worstResidual() {
        double worst = 0;
        for (LayerSolution l : layers) {
            worst = Math.max(worst, l.residual());
        }
        return worst;
    }

    /** The identity shift the readout should add to λ: {@link #identityShift} for stepwise, else 0. */
    public double readoutShift() {
        return variant == LastLayerVariant.STEPWISE ? identityShift : 0;
    }
}
