package ntklc.compression;

/**
 * How NTK-LC treats the last layer L (docs/theory.md §6.2, §6.3, §6.6). Hidden layers 1..L−1 use σ_T
 * ({@code binary-zero}) matched to (D1, D2, D3), except in {@link #TAU_MATCHED}.
 */
public enum LastLayerVariant {
    /**
     * The reference code: σ_Q with {@code b1 = b2 = √(D3²/D2 + 4τ_L²)} forced (the {0,b} identity
     * of docs/theory.md §3.2), {@code r4 = r3 + r2 − r1}; unknowns r1 ≤ r2 ≤ r3; four equations including
     * {@code v = τ_L²}. Generally not solvable (docs/theory.md §6.6).
     */
    CODE("code"),
    /** The paper: σ_Q with b1, b2 free and {@code r4 − r3 = r2 − r1}; five unknowns, four equations. */
    PAPER("paper"),
    /**
     * σ_T on every layer including L (exactly solvable); the unmatched τ_L is reported and
     * compensated by the identity shift {@code τ_L² − τ'_L²} (docs/theory.md §6.6), i.e. added to the ridge λ.
     */
    STEPWISE("stepwise"),
    /**
     * The natural fix suggested by the feasibility study (docs/theory.md §6.6): among the hidden-layer solutions with a small
     * residual, take the one whose τ'_ℓ is closest to the original τ_ℓ; the last layer as {@link #PAPER}.
     */
    TAU_PRESERVING("tau-preserving"),
    /**
     * Not in the paper (our extension): σ_Q with free b1, b2 on <em>every</em> layer,
     * each matching (D1, D2, D3) and also {@code v = τ_ℓ²}, so the compressed chain keeps
     * τ'_ℓ = τ_ℓ exactly and the last layer no longer faces the τ' ≫ τ mismatch of docs/theory.md §6.6.
     * Every layer becomes the paper's last-layer system with one more free threshold; not exactly
     * solvable either (F ≈ 1e−3 per layer for ReLU), but far closer than the paper variant's last layer.
     */
    TAU_MATCHED("tau-matched");

    private final String spelling;

    LastLayerVariant(String spelling) {
        this.spelling = spelling;
    }

    /** The command-line spelling. */
    public String spelling() {
        return spelling;
    }

    /** Parses the command-line spelling; IllegalArgumentException lists the choices. */
    public static LastLayerVariant parse(String text) {
        for (LastLayerVariant v : values()) {
            if (v.spelling.equals(text.trim())) {
                return v;
            }
        }
        throw new IllegalArgumentException("unknown variant '" + text + "' (" + String.join("|", spellings()) + ")");
    }

    /** All spellings, for help texts and choice lists. */
    public static String[] spellings() {
        LastLayerVariant[] all = values();
        String[] out = new String[all.length];
        for (int i = 0; i < all.length; i++) {
            out[i] = all[i].spelling;
        }
        return out;
    }
}
