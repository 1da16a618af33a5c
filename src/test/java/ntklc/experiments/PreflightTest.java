package ntklc.experiments;

import static ntklc.experiments.CliErrorsTest.assertOneLineError;
import static ntklc.experiments.CliErrorsTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ntklc.cli.Command;
import ntklc.cli.Footprint;
import ntklc.cli.Launcher;

/**
 * Issue 14 items 1, 3 and 8: sizes a run cannot hold and values outside the numerically meaningful
 * range end with one {@code error:} line, exit 2, no stack trace, before anything is written: an
 * earlier run folder given as {@code --out} keeps exactly its files. The defaults of every command
 * pass the preflight, and one estimate is checked to be an upper bound by running under it.
 */
class PreflightTest {
    @TempDir
    Path dir;

    /** An earlier, finished run folder, and its files' bytes. */
    private Path earlier;
    private Map<String, byte[]> before;

    @BeforeEach
    void earlierRun() throws IOException {
        earlier = dir.resolve("earlier");
        assertEquals(0, run(new CoefficientsCommand(), "--out=" + earlier).status());
        before = snapshot(earlier);
    }

    private static Map<String, byte[]> snapshot(Path folder) throws IOException {
        Map<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> s = Files.walk(folder)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                files.put(folder.relativize(p).toString(), Files.readAllBytes(p));
            }
        }
        return files;
    }

    /** Runs {@code command} with {@code args} and {@code --out=<earlier run>}: one error line, the folder intact. */
    private void refused(Command command, String args, String... mustContain) throws IOException {
        List<String> a = new ArrayList<>(List.of(args.split(" ")));
        a.add("--out=" + earlier);
        assertOneLineError(run(command, a.toArray(new String[0])), mustContain);
        Map<String, byte[]> after = snapshot(earlier);
        assertEquals(before.keySet(), after.keySet(), "files of the earlier run folder after " + args);
        for (String f : before.keySet()) {
            assertTrue(java.util.Arrays.equals(before.get(f), after.get(f)), f + " changed by " + args);
        }
    }

    @Test
    void sizesOverJavasArrayLimit() throws IOException {
        refused(new Spectrum(), "--n=200000", "spectrum:", "n×n", "Java's limit", "a smaller --n");
        refused(new Compress(), "--widths=100000,100000,100000 --methods=original", "compress:", "weight matrix",
                "smaller --widths");
        refused(new TrainMlp(), "--data=gmm-mixed --hidden=200000,200000", "train-mlp:", "Java's limit", "--hidden");
        refused(new ActivationStudy(), "--widths=100000,100000,100000", "activations:", "smaller --widths");
        refused(new TrainVgg(), "--batch=100000", "train-vgg:", "a smaller --batch");
        refused(new ExtractFeatures(), "--weights=" + dir.resolve("none") + " --batch=100000", "features:",
                "a smaller --batch");
        refused(new DataSummary(), "--n-train=100000 --n-test=100000 --p=100000", "data-summary:", "--n or --p");
        refused(new TrainMlp(), "--data=gmm-mixed --p=16 --batch=2000000000", "train-mlp:", "a smaller --batch");
        refused(new Compress(), "--forward-batch=2000000000 --methods=original", "compress:", "--forward-batch");
    }

    @Test
    void sizesOverTheHeap() throws IOException {
        // 7 n×n doubles at n = 40 000: 90 GB, more than the test JVM's heap
        refused(new Spectrum(), "--n=40000", "spectrum: needs about", "GiB of memory", "Java heap may grow to",
                "-Xmx", "a smaller --n");
        long heap = Runtime.getRuntime().maxMemory();
        long n = 1;
        while (5 * n * n * Float.BYTES <= heap) {
            n *= 2;
        }
        if (n <= 16384) {
            refused(new Bench(), "--op=matmul --sizes=" + n, "bench: needs about", "smaller --sizes");
        }
    }

    @Test
    void valuesOutOfTheNumericallyMeaningfulRange() throws IOException {
        refused(new CoefficientsCommand(), "--activations=relu --tau0=1e308", "--tau0=1e308", "τ0⁴");
        refused(new CoefficientsCommand(), "--activations=relu --tau0=1e-200", "--tau0=1e-200");
        refused(new CoefficientsCommand(), "--activations=poly:1e300:1:0", "leaves the range of doubles");
        refused(new CoefficientsCommand(), "--activations=lrelu:1e308", "leaves the range of doubles");
        refused(new CoefficientsCommand(), "--activations=binary-zero:-1e9:1e9:1", "constant on data of that scale");
        refused(new Solve(), "--tau0=1e308", "solve: --tau0=1e308");
        refused(new Solve(), "--restarts=2000000000", "--restarts=2000000000", "at most 1000000");
        refused(new Spectrum(), "--activations=binary-zero:-1e9:1e9:1,relu,relu", "spectrum: --activations",
                "data scale");
        refused(new Spectrum(), "--bins=2000000000", "--bins=2000000000");
        refused(new Spectrum(), "--p=0 --dry-run", "--p=0");
        refused(new Compress(), "--compressed=binary-zero:5:6:1,binary-zero:5:6:1,binary-zero:5:6:1 --methods=ntk-lc",
                "compress: --compressed", "data scale");
        refused(new Compress(), "--widths=;; --dry-run", "--widths=;;");
        refused(new Compress(), "--n=-5 --dry-run", "--n=-5");
        refused(new Compress(), "--restarts=2000000000 --dry-run", "at most 1000000");
        refused(new ActivationStudy(), "--lambda=-1 --datasets=gmm-var", "--lambda=-1");
        refused(new Bench(), "--sizes= --device=cpu", "--sizes=");
        refused(new Bench(), "--repeats=2000000000 --device=cpu", "at most 1000000");
        refused(new TrainMlp(), "--data=gmm-mixed --classes=0", "--classes=0", "at least two classes");
    }

    @Test
    void everyCommandsDefaultsPassThePreflight() {
        for (Command c : Main.commands()) {
            Footprint f = c.footprint(c.options().parse(c.name(), new String[0]));
            // 4 GiB: what the README's commands assume of a default heap (a quarter of 16 GB)
            assertTrue(f.bytes() <= 4L << 30, c.name() + " defaults need " + f.bytes() + " bytes");
            f.check(c.name(), 4L << 30);
        }
    }

    /**
     * The compress estimate follows the engine that will run: NTK-LC (the paper's variant or the
     * staircases of {@code best}) on the packed engine holds its weights as bit planes, so at widths 20000,20000,11000 it must
     * fit the ≈ 1 GB heap the packed engine was measured in, while the same widths on the dense
     * engine (the original network, or {@code --engine=dense}) need the float weights, whose
     * largest matrix alone is 20000²·4 B = 1.6 GB (closed form).
     */
    @Test
    void theCompressEstimateFollowsTheEngine() {
        Compress c = new Compress();
        String common = "--data=gmm-mixed --p=784 --train-per-class=1000 --test-per-class=200 --classes=0,1"
                + " --widths=20000,20000,11000 --readout=softmax";
        long packed = c.footprint(c.options().parse(c.name(), (common + " --methods=ntk-lc").split(" "))).bytes();
        long dense = c.footprint(c.options().parse(c.name(),
                (common + " --methods=ntk-lc --engine=dense").split(" "))).bytes();
        long original = c.footprint(c.options().parse(c.name(), (common + " --methods=original").split(" "))).bytes();
        long largestDense = 20000L * 20000L * Float.BYTES;
        assertTrue(packed < 1L << 30, "packed NTK-LC estimate " + packed + " bytes");
        assertTrue(dense > largestDense && original > largestDense, "dense estimates " + dense + ", " + original);
        // the two bit planes of the 20000×20000 layer, 2·20000·⌈20000/64⌉ longs, are part of the bound
        assertTrue(packed > 2L * 20000 * ((20000 + 63) / 64) * Long.BYTES);
        // the staircase variants (16 levels) run on the packed engine too
        long staircase = c.footprint(c.options().parse(c.name(),
                (common + " --methods=ntk-lc --variant=best").split(" "))).bytes();
        assertTrue(staircase < 1L << 30, "best-variant estimate " + staircase);
    }

    /**
     * The spectrum estimate is an upper bound: a child JVM whose heap is the estimate plus 48 MiB
     * for the JVM's own classes and buffers (serial collector, so no region fragmentation) runs
     * {@code spectrum --n=2000 --p=100} to the end; the n×n matrices dominate (7·2000²·8 = 224 MB).
     */
    @Test
    void theSpectrumEstimateIsEnoughToRun() throws Exception {
        Spectrum s = new Spectrum();
        String[] args = {"--n=2000", "--p=100", "--device=cpu", "--out=" + dir.resolve("bound")};
        long estimate = s.footprint(s.options().parse(s.name(), args)).bytes();
        long heapMiB = (estimate >> 20) + 48;
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) {
            cmd.add("--add-modules=jdk.incubator.vector");
        }
        cmd.addAll(Launcher.JIT_OPTIONS); // as the launcher would: no second JVM
        cmd.addAll(List.of("-Xmx" + heapMiB + "m", "-XX:+UseSerialGC", "-Djava.awt.headless=true",
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "spectrum"));
        cmd.addAll(List.of(args));
        Path log = dir.resolve("bound.log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertTrue(p.waitFor(600, TimeUnit.SECONDS), "still running");
        assertEquals(0, p.exitValue(), "with -Xmx" + heapMiB + "m:\n" + Files.readString(log));
    }
}
