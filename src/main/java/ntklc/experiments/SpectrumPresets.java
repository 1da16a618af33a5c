package ntklc.experiments;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The paper's spectrum settings (paper §4, Fig. 2; docs/theory.md §8.1) as option presets for
 * {@code spectrum}, reduced to run in minutes on two cores. Options typed by the user override a
 * preset's.
 */
final class SpectrumPresets {
    private SpectrumPresets() {
    }

    static final String NAMES = "paper-fig2-left|paper-fig2-right";

    static ExperimentOptions.NamedPreset get(String name) {
        return switch (name) {
            // Fig. 2 left: GMM mixed, ReLU ×3, widths (2000, 2000, 1000), Gaussian W, empirical CK.
            // The paper uses n = 2000, p = 8000 and 1000 realisations; here n = p = 800 and 50 draws.
            case "paper-fig2-left" -> new ExperimentOptions.NamedPreset(name, ordered("data", "gmm-mixed", "n", "800", "p", "800",
                    "activations", "relu,relu,relu", "widths", "2000,2000,1000", "method", "monte-carlo",
                    "draws", "50", "weights", "gaussian", "kernel", "ck"));
            // Fig. 2 right: MNIST 6 vs 8, activations (0.2t² + t, ReLU, ReLU) centred, symmetric
            // Bernoulli (±1) W. The paper uses n = 3200 and 1000 realisations; here n = 1600, 20 draws.
            case "paper-fig2-right" -> new ExperimentOptions.NamedPreset(name, ordered("data", "mnist", "classes", "6,8", "n", "1600",
                    "activations", "poly:0.2:1:0,relu,relu", "widths", "2000,2000,1000", "method", "monte-carlo",
                    "draws", "20", "weights", "bernoulli", "kernel", "ck"));
            default -> throw new IllegalArgumentException("unknown preset '" + name + "' (" + NAMES + ")");
        };
    }

    private static Map<String, String> ordered(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }
}
