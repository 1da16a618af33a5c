package ntklc.nn.vgg;

/**
 * Cosine learning-rate schedule without restarts (Loshchilov &amp; Hutter, ICLR 2017, Eq. (5) with
 * {@code η_min = 0}), stepped once per epoch: epoch {@code e = 1…E} trains with
 * <pre>
 *   η_e = η_0 · ½ · (1 + cos(π · (e − 1) / E))
 * </pre>
 * so the first epoch uses {@code η_0} and the rate decays smoothly towards 0 at the end. (The
 * reference code trains at a constant {@code η_0 = 0.01}, spec §2.5; a decaying rate reaches a
 * given accuracy in fewer epochs, which matters on a CPU.)
 *
 * @param initial {@code η_0 > 0}
 * @param epochs  {@code E ≥ 1}, the length of the whole run
 */
public record CosineSchedule(double initial, int epochs) {
    public CosineSchedule {
        if (!(initial > 0) || epochs < 1) {
            throw new IllegalArgumentException("cosine schedule needs η_0 > 0 and E ≥ 1, got " + initial + ", " + epochs);
        }
    }

    /** {@code η_e} for epoch {@code e ∈ [1, E]}. */
    public double rate(int epoch) {
        if (epoch < 1 || epoch > epochs) {
            throw new IllegalArgumentException("epoch " + epoch + " outside 1.." + epochs);
        }
        return initial * 0.5 * (1 + Math.cos(Math.PI * (epoch - 1) / epochs));
    }
}
