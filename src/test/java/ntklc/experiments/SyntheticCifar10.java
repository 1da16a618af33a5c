package ntklc.experiments;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

import ntklc.data.Cifar10;

/**
 * Synthetic CIFAR-10 files for the {@code train-vgg} tests: the real binary format
 * ({@link Cifar10#RECORD_BYTES} bytes a record, label byte first), one training file and the test
 * file, random pixels from a fixed seed and label {@code r mod 10} for record {@code r}.
 */
final class SyntheticCifar10 {
    private SyntheticCifar10() {
    }

    /** Writes {@code dataDir/cifar-10-batches-bin/{data_batch_1.bin, test_batch.bin}}. */
    static void write(Path dataDir) throws IOException {
        Path dir = Files.createDirectories(dataDir.resolve(Cifar10.FOLDER));
        SplittableRandom rng = new SplittableRandom(41);
        for (String name : new String[] {Cifar10.TRAIN_FILES[0], Cifar10.TEST_FILE}) {
            byte[] b = new byte[Cifar10.RECORDS_PER_FILE * Cifar10.RECORD_BYTES];
            rng.nextBytes(b);
            for (int r = 0; r < Cifar10.RECORDS_PER_FILE; r++) {
                b[r * Cifar10.RECORD_BYTES] = (byte) (r % 10);
            }
            Files.write(dir.resolve(name), b);
        }
    }
}
