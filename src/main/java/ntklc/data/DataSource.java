package ntklc.data;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * Where an experiment's data come from: the one place that turns a {@code --data=NAME} into
 * data, so commands never branch on data-set names themselves. Names:
 * {@code mnist}, {@code fashion-mnist}, {@code cifar10}, {@code gmm-mixed}, {@code gmm-var},
 * {@code gmm-means}, {@code gmm-iid}, {@code csv:TRAIN.csv} or {@code csv:TRAIN.csv,TEST.csv}.
 */
public sealed interface DataSource permits DataSource.Idx, DataSource.Cifar, DataSource.Mixture, DataSource.Csv {
    /** Every accepted name, for help texts. */
    String NAMES = "mnist|fashion-mnist|cifar10|gmm-mixed|gmm-var|gmm-means|gmm-iid|csv:TRAIN.csv[,TEST.csv]";

    /** The name as written on the command line. */
    String name();

    /**
     * Loads (or generates) the data.
     *
     * @param rng used by Gaussian mixtures and by the random test split of a single CSV file
     * @throws DataException if a file is missing or corrupt or the request does not fit the source
     */
    DataBundle load(DataRequest request, SplittableRandom rng);

    /** The source called {@code name}; see the interface comment. */
    static DataSource parse(String name) {
        String s = name.strip();
        if (s.startsWith("csv:")) {
            String[] files = s.substring(4).split(",", -1);
            if (files.length > 2 || files[0].isBlank() || (files.length == 2 && files[1].isBlank())) {
                throw new DataException("--data=" + name + ": write csv:TRAIN.csv or csv:TRAIN.csv,TEST.csv");
            }
            return new Csv(Path.of(files[0]), files.length == 2 ? Path.of(files[1]) : null);
        }
        if (s.equals("cifar10")) {
            return new Cifar();
        }
        for (Mnist.Variant v : Mnist.Variant.values()) {
            if (v.folder().equals(s)) {
                return new Idx(v);
            }
        }
        for (GmmCase c : GmmCase.values()) {
            if (c.cliName().equals(s)) {
                return new Mixture(c);
            }
        }
        throw new DataException("--data=" + name + " is not a data source (" + NAMES + ")");
    }

    /** MNIST or Fashion-MNIST (IDX files). */
    record Idx(Mnist.Variant variant) implements DataSource {
        @Override
        public String name() {
            return variant.folder();
        }

        @Override
        public DataBundle load(DataRequest r, SplittableRandom rng) {
            Images[] both = Mnist.loadImages(r.dataDir(), variant);
            return real(name(), both[0], both[1], r);
        }
    }

    /** CIFAR-10, binary version, raw pixels. */
    record Cifar() implements DataSource {
        @Override
        public String name() {
            return "cifar10";
        }

        @Override
        public DataBundle load(DataRequest r, SplittableRandom rng) {
            TrainTest raw = Cifar10.load(r.dataDir());
            return real(name(), raw.train(), raw.test(), r);
        }
    }

    /** A Gaussian-mixture test case of docs/theory.md §1.1, generated from the seeded generator. */
    record Mixture(GmmCase testcase) implements DataSource {
        @Override
        public String name() {
            return testcase.cliName();
        }

        @Override
        public DataBundle load(DataRequest r, SplittableRandom rng) {
            int K = r.classes().length > 0 ? r.classes().length
                    : r.proportions().length > 0 ? r.proportions().length : 2;
            for (int k = 0; k < r.classes().length; k++) {
                if (r.classes()[k] != k) {
                    throw new DataException(name() + ": classes must be 0,1,…,K−1, got " + Arrays.toString(r.classes()));
                }
            }
            if (r.nTrain() < 1 || r.nTest() < 1) {
                throw new DataException(name() + ": give the numbers of training and test samples (--n-train, --n-test)");
            }
            double[] c = r.proportions();
            GmmSpec spec = c.length == 0 ? GmmSpec.balanced(testcase, K, r.p()) : new GmmSpec(testcase, K, r.p(), c);
            GmmDraw draw = Gmm.trainTest(spec, r.nTrain(), r.nTest(), rng);
            return new DataBundle(name(), draw.trainTest(), Optional.of(draw));
        }
    }

    /**
     * The user's samples (see {@link CsvSamples}). With one file, a seeded random fifth of its rows
     * (at least one) becomes the test set.
     *
     * @param test null for a single file
     */
    record Csv(Path train, Path test) implements DataSource {
        @Override
        public String name() {
            return "csv:" + train + (test == null ? "" : "," + test);
        }

        @Override
        public DataBundle load(DataRequest r, SplittableRandom rng) {
            CsvSamples.Rows a = CsvSamples.parse(train);
            if (test == null) {
                TrainTest both = split(a, rng);
                return real(name(), both.train(), both.test(), r);
            }
            CsvSamples.Rows b = CsvSamples.parse(test);
            if (a.p() != b.p()) {
                throw new DataException(test + ": " + b.p() + " features per row, but " + train + " has " + a.p());
            }
            int K = Math.max(a.maxLabel(), b.maxLabel()) + 1;
            return real(name(), a.toDataset(K), b.toDataset(K), r);
        }

        private static TrainTest split(CsvSamples.Rows rows, SplittableRandom rng) {
            int n = rows.labels().length;
            if (n < 2) {
                throw new DataException(rows.file() + ": one sample cannot be split into training and test sets");
            }
            int[] order = new int[n];
            Arrays.setAll(order, i -> i);
            for (int i = n - 1; i > 0; i--) {
                int j = rng.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
            int nTest = Math.max(1, n / 5);
            int[] testRows = Arrays.copyOfRange(order, 0, nTest);
            int[] trainRows = Arrays.copyOfRange(order, nTest, n);
            Arrays.sort(testRows);
            Arrays.sort(trainRows);
            int K = rows.maxLabel() + 1;
            return new TrainTest(pick(rows, trainRows, K), pick(rows, testRows, K));
        }

        private static Dataset pick(CsvSamples.Rows rows, int[] which, int K) {
            int p = rows.p();
            float[] x = new float[which.length * p];
            int[] labels = new int[which.length];
            for (int k = 0; k < which.length; k++) {
                System.arraycopy(rows.x(), which[k] * p, x, k * p, p);
                labels[k] = rows.labels()[which[k]];
            }
            return new CsvSamples.Rows(rows.file(), x, labels, p).toDataset(K);
        }
    }

    /** Class selection, sizes and normalisation of real data, per split (docs/theory.md §1.3). */
    private static DataBundle real(String name, Samples rawTrain, Samples rawTest, DataRequest r) {
        int[] classes = r.classes();
        if (classes.length == 0) {
            classes = new int[rawTrain.numClasses()];
            Arrays.setAll(classes, k -> k);
        }
        Dataset train;
        Dataset test;
        if (r.preprocess() == Preprocess.PAPER) {
            train = Preprocessing.rawPixels(rawTrain, classes, r.nTrain(), r.proportions());
            test = Preprocessing.rawPixels(rawTest, classes, r.nTest(), r.proportions());
        } else {
            train = Preprocessing.select(rawTrain, classes, r.nTrain(), r.proportions());
            test = Preprocessing.select(rawTest, classes, r.nTest(), r.proportions());
        }
        return new DataBundle(name, new TrainTest(train, test), Optional.empty());
    }
}
