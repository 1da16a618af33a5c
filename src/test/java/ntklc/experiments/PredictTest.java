package ntklc.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import ntklc.compression.MemoryAccounting;
import ntklc.report.Table;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code compress --engine}, {@code --save-models} and {@code predict} end to end on a small GMM. */
class PredictTest {
    @TempDir
    Path tmp;

    /**
     * A fixed NTK-LC chain (σ_T, σ_T, σ_Q), so that no solver runs. NOTE: thresholds that are round
     * numbers (−0.3) can lie exactly on the lattice of pre-activations {@code C/√d_in} of a row
     * with zero sum (d_in = 100); the packed engine then decides the tie exactly and the dense
     * one by rounding, so the test uses thresholds that are not such numbers, like the solver's.
     */
    private static final String CHAIN = "--compressed=binary-zero:-0.6137:0.5821:1,binary-zero:-0.4513:0.7229:1,"
            + "binary-last:-1.1173:-0.2951:0.3533:1.2089:1:-0.8";

    private Table compress(String engine, String readout, String... extra) throws Exception {
        return compressInto(engine + "-" + readout, CHAIN, engine, readout, extra);
    }

    /** {@code compress} into {@code tmp/name} with the chain option {@code chain} ({@code --compressed=…}). */
    private Table compressInto(String name, String chain, String engine, String readout, String... extra) throws Exception {
        Path out = tmp.resolve(name);
        String[] base = {"--methods=ntk-lc", "--epsilons=0,0.9", "--widths=130,100,70", "--n=400", "--test-per-class=150",
            "--p=90", chain, "--engine=" + engine, "--readout=" + readout, "--epochs=30", "--lr=1e-2", "--out=" + out};
        String[] args = java.util.Arrays.copyOf(base, base.length + extra.length);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(0, CompressTest.run(new Compress(), err, args), err.toString());
        return Table.readCsv(out.resolve("results.csv"));
    }

    @Test
    void packedAndDenseEnginesGiveTheSameAccuracyAndPredictReproducesIt() throws Exception {
        for (String readout : new String[] {"ridge", "softmax"}) {
            Table packed = compress("packed", readout, "--save-models");
            Table dense = compress("dense", readout);
            assertEquals("packed", packed.text(0, "engine"));
            assertEquals("dense", dense.text(0, "engine"));
            // Same network (same seed and sampler), same features away from thresholds: same accuracy.
            for (int i = 0; i < 2; i++) {
                assertEquals(dense.doubles("test_accuracy")[i], packed.doubles("test_accuracy")[i], 0.0, readout + " row " + i);
                assertEquals(dense.doubles("train_accuracy")[i], packed.doubles("train_accuracy")[i], 0.0, readout + " row " + i);
                // H(ε) bits per hidden weight (90·130 + 130·100 + 100·70 weights)
                double weights = 90 * 130 + 130 * 100 + 100 * 70;
                double eps = packed.doubles("epsilon")[i];
                assertEquals(MemoryAccounting.ternaryEntropy(eps) * weights, packed.doubles("entropy_bits")[i], 1e-6 * weights);
                // dense: 4 bytes per weight; packed: at most 2 bits per weight plus per-unit thresholds
                assertTrue(dense.doubles("resident_bytes")[i] >= 4 * weights);
                assertTrue(packed.doubles("resident_bytes")[i] < dense.doubles("resident_bytes")[i] / 4);
            }
            assertEquals("signs;signs;signs", packed.text(0, "weight_forms"));
            for (int i = 0; i < 2; i++) {
                String eps = packed.text(i, "epsilon");
                Path model = tmp.resolve("packed-" + readout).resolve("models").resolve("ntk-lc-eps" + eps + "-130x100x70.ntklc");
                Path out = tmp.resolve("predict-" + readout + i);
                ByteArrayOutputStream err = new ByteArrayOutputStream();
                assertEquals(0, CompressTest.run(new Predict(), err, "--model=" + model, "--out=" + out), err.toString());
                Table summary = Table.readCsv(out.resolve("summary.csv"));
                assertEquals(packed.doubles("test_accuracy")[i], summary.doubles("test_accuracy")[0], 0.0);
                assertEquals(300, summary.doubles("n")[0], 0.0);
                assertEquals(Files.size(model), summary.doubles("file_bytes")[0], 0.0);
                assertEquals(packed.doubles("resident_bytes")[i], summary.doubles("resident_bytes")[0], 0.0);
            }
        }
    }

    /**
     * The staircase chains of {@code tau-matched-2bit} and {@code best} (4 and 16 levels on every
     * layer, solved for ReLU at τ0 = 1, {@link ntklc.compression.packed.StaircaseEngineTest}) run on
     * the packed engine by default; the two engines give the same accuracies, and {@code predict}
     * on the saved version-2 model reproduces the recorded one.
     */
    @Test
    void staircaseNetworksRunPackedAndPredictReproducesTheirAccuracy() throws Exception {
        String[] chains = {ntklc.compression.packed.StaircaseEngineTest.K4, ntklc.compression.packed.StaircaseEngineTest.K16};
        for (int c = 0; c < chains.length; c++) {
            String chain = "--compressed=" + chains[c];
            Table packed = compressInto("packed-k" + c, chain, "packed", "ridge", "--save-models");
            Table dense = compressInto("dense-k" + c, chain, "dense", "ridge");
            assertEquals("packed", packed.text(0, "engine"));
            for (int i = 0; i < 2; i++) {
                assertEquals(dense.doubles("test_accuracy")[i], packed.doubles("test_accuracy")[i], 0.0, chain + " row " + i);
                assertEquals(dense.doubles("train_accuracy")[i], packed.doubles("train_accuracy")[i], 0.0, chain + " row " + i);
                assertTrue(packed.doubles("resident_bytes")[i] < dense.doubles("resident_bytes")[i] / 4);
                String eps = packed.text(i, "epsilon");
                Path model = tmp.resolve("packed-k" + c).resolve("models")
                        .resolve("ntk-lc-eps" + eps + "-130x100x70.ntklc");
                assertEquals(2, java.nio.ByteBuffer.wrap(Files.readAllBytes(model), 8, 4).getInt());
                Path out = tmp.resolve("predict-k" + c + "-" + i);
                ByteArrayOutputStream err = new ByteArrayOutputStream();
                assertEquals(0, CompressTest.run(new Predict(), err, "--model=" + model, "--out=" + out), err.toString());
                Table summary = Table.readCsv(out.resolve("summary.csv"));
                assertEquals(packed.doubles("test_accuracy")[i], summary.doubles("test_accuracy")[0], 0.0);
                assertEquals(packed.doubles("resident_bytes")[i], summary.doubles("resident_bytes")[0], 0.0);
            }
        }
    }

    @Test
    void truncatedCorruptOrWrongVersionModelsEndWithOneErrorLine() throws Exception {
        compress("packed", "ridge", "--save-models");
        Path model = tmp.resolve("packed-ridge").resolve("models").resolve("ntk-lc-eps0.9-130x100x70.ntklc");
        byte[] good = Files.readAllBytes(model);
        byte[] corrupt = good.clone();
        corrupt[good.length / 2] ^= 1;
        byte[] version = good.clone();
        version[11] = 3; // versions 1 and 2 are read
        byte[][] bad = {java.util.Arrays.copyOf(good, good.length - 100), corrupt, version};
        String[] reason = {"truncated or corrupt", "checksum", "version 3"};
        for (int k = 0; k < bad.length; k++) {
            Path f = tmp.resolve("bad" + k + ".ntklc");
            Files.write(f, bad[k]);
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            assertEquals(2, CompressTest.run(new Predict(), err, "--model=" + f, "--out=" + tmp.resolve("p" + k)));
            String text = err.toString().trim();
            assertTrue(text.startsWith("error:") && text.contains(reason[k]) && !text.contains("\n"), text);
        }
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(2, CompressTest.run(new Predict(), err, "--out=" + tmp.resolve("none")));
        assertTrue(err.toString().startsWith("error:"), err.toString());
    }
}
