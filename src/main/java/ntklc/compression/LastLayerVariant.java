package ntklc.compression;

/**
 * How NTK-LC treats the last layer L (docs/theory.md §6.2, §6.3, §6.6). Hidden layers 1..L−1 use σ_T
 * ({@code binary-zero}) matched to (D1, D2, D3), except in the variants that match τ on every
 * layer ({@link #matchesTauOnEveryLayer()}: {@link #TAU_MATCHED} and the staircases).
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
    TAU_MATCHED("tau-matched"),
    /**
     * Our extension: on every layer a 4-level (2-bit) staircase matching (D1, D2, D3) and
     * {@code v = τ_ℓ²}, started from the Lloyd–Max quantiser of σ_ℓ (see {@link Parametrisation.Staircase}).
     */
    TAU_MATCHED_2BIT("tau-matched-2bit", 4),
    /** As {@link #TAU_MATCHED_2BIT} with an 8-level (3-bit) staircase. */
    TAU_MATCHED_3BIT("tau-matched-3bit", 8),
    /** As {@link #TAU_MATCHED_2BIT} with a 16-level (4-bit) staircase. */
    TAU_MATCHED_4BIT("tau-matched-4bit", 16);

    /** The spelling of the alias for the best variant measured so far (docs/compression-results.md). */
    public static final String BEST_ALIAS = "best";
    /** What {@link #BEST_ALIAS} stands for. */
    public static final LastLayerVariant BEST = TAU_MATCHED_4BIT;

    private final String spelling;
    private final int staircaseLevels;

    LastLayerVariant(String spelling) {
        this(spelling, 0);
    }

    LastLayerVariant(String spelling, int staircaseLevels) {
        this.spelling = spelling;
        this.staircaseLevels = staircaseLevels;
    }

    /** Levels of the staircase solved on every layer (0: not a staircase variant). */
    public int staircaseLevels() {
        return staircaseLevels;
    }

    /** True if every layer, not only the last, solves {@code v = τ_ℓ²} besides (D1, D2, D3). */
    public boolean matchesTauOnEveryLayer() {
        return this == TAU_MATCHED || staircaseLevels > 0;
    }

    /** The command-line spelling. */
    public String spelling() {
        return spelling;
    }

    /**
     * Parses the command-line spelling, or {@link #BEST_ALIAS} for {@link #BEST};
     * IllegalArgumentException lists the choices.
     */
    public static LastLayerVariant parse(String text) {
        if (text.trim().equals(BEST_ALIAS)) {
            return BEST;
        }
        for (LastLayerVariant v : values()) {
            if (v.spelling.equals(text.trim())) {
                return v;
            }
        }
        throw new IllegalArgumentException("unknown variant '" + text + "' (" + String.join("|", spellings()) + ")");
    }

    /** The help text of a {@code --variant} option: the choices and what {@link #BEST_ALIAS} stands for. */
    public static String help() {
        return String.join("|", spellings()) + " (" + BEST_ALIAS + " = " + BEST.spelling
                + ", recommended; docs/compression-results.md)";
    }

    /** All spellings and the alias {@link #BEST_ALIAS} (last), for help texts and choice lists. */
    public static String[] spellings() {
        LastLayerVariant[] all = values();
        String[] out = new String[all.length + 1];
        for (int i = 0; i < all.length; i++) {
            out[i] = all[i].spelling;
        }
        out[all.length] = BEST_ALIAS;
        return out;
    }
}
