package ntklc.data;

/** A training set and a test set with the same input dimension and classes. */
public record TrainTest(Dataset train, Dataset test) {
    public TrainTest {
        if (train.p() != test.p() || train.numClasses() != test.numClasses()) {
            throw new IllegalArgumentException("train and test differ in dimension or classes");
        }
    }
}
