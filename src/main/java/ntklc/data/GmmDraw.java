package ntklc.data;

/**
 * A Gaussian mixture with an independent training draw and test draw of it (docs/theory.md §1.1).
 *
 * @param spec  the mixture and its population statistics
 * @param train training samples with their ψ
 * @param test  test samples with their ψ
 */
public record GmmDraw(GmmSpec spec, GmmSample train, GmmSample test) {
    /** The two data sets, without ψ. */
    public TrainTest trainTest() {
        return new TrainTest(train.dataset(), test.dataset());
    }
}
