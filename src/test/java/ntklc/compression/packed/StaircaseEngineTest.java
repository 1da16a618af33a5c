package ntklc.compression.packed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import ntklc.activation.Activation;
import ntklc.activation.Activations;
import ntklc.activation.PiecewiseConstant;
import ntklc.compression.RandomFeatureNetwork;
import ntklc.nn.Initializer;
import ntklc.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The packed engine on the staircase variants ({@code tau-matched-2bit/4bit}: K-level activations on
 * every layer, K − 1 one-hot planes) and on σ_Q on every layer ({@code tau-matched}), against an
 * independent double computation of the same layer (unit by unit) and against the dense float
 * engine (whole networks).
 */
public class StaircaseEngineTest {
    /** Unit round-off of float32. */
    private static final double U = Math.ulp(1.0f) / 2;

    /**
     * The {@code tau-matched-2bit} chain for ReLU,ReLU,ReLU at τ0 = 1, as {@code solve
     * --variant=tau-matched-2bit --restarts=1 --seed=1} prints it (4 levels per layer).
     */
    public static final String K4 = "staircase:0.2033350597803756:0.9923326513508947:1.8124157127403864:0.029533254576676472:"
            + "0.5787075667584215:1.323415596872809:2.517509764905113,"
            + "staircase:0.1578752977821066:0.5907391341212738:1.0521123745543424:0.017505083423699278:0.356427015808233:"
            + "0.8024020585906143:1.4652597530433558,"
            + "staircase:0.12314037258329197:0.3614307184405394:0.6240448452594083:0.01058623842231579:"
            + "0.22561145076022845:0.497586100386309:0.8697803332781676";

    /** The {@code tau-matched-4bit} (= {@code best}) chain, as {@code solve --variant=best --restarts=1 --seed=1} prints it (16 levels). */
    public static final String K16 = "staircase:-0.038914546682642236:0.12551165534692263:0.2874677175419788:0.46043301821200233:"
            + "0.6203160497309532:0.7698317598364829:0.9228950217476551:1.0731075566940251:1.2438205706849386:"
            + "1.4165946498762751:1.6200613008478602:1.8369783912894315:2.0967084512681713:2.4134646957084644:"
            + "2.8654769006501195:0.0018383619124144874:0.11632751297240257:0.22768958456470614:0.3605482203324946:"
            + "0.5087332460478095:0.6586626260732:0.8126395489677603:0.9761369412973199:1.1506500725188276:"
            + "1.3404732253351794:1.5464639375530989:1.772728208248686:2.0171023209981263:2.292238145996071:"
            + "2.6109512672861155:3.0309499249931555,"
            + "staircase:-0.0064249507387603155:0.10476423415384317:0.20252245533341207:0.28029933618001923:"
            + "0.3679490996536521:0.45481831218921137:0.5411670864230568:0.627060791833685:0.7222746505036646:"
            + "0.8156947094967898:0.9377138774119795:1.05801179699192:1.2006415399161645:1.3740121476676783:"
            + "1.6521266988431451:0.0010735866060633387:0.08515608210860803:0.1596001626930616:0.23142843667536445:"
            + "0.30592087970092724:0.39044030053686496:0.4790085545246884:0.5724003142930237:0.6686459917660635:"
            + "0.7737513432808866:0.8913199239564548:1.0226434553208352:1.1585043590572495:1.3112870543515316:"
            + "1.4996932907134874:1.7630417708526125,"
            + "staircase:-0.019578931076967718:0.03549456484075968:0.09115761304868875:0.1439188897083442:"
            + "0.19533387145660538:0.2481522337206572:0.29669269555094674:0.3528728705407846:0.41368667243103185:"
            + "0.47385709752641664:0.5422086159946169:0.6151627247395441:0.6874842116021342:0.8075385768347307:"
            + "0.9716654719850454:6.272925281502614E-4:0.033781311169524014:0.07082425716705504:0.11327423114479387:"
            + "0.1590325993587335:0.20887674206545453:0.2604521876701752:0.31693315169824593:0.379482207750088:"
            + "0.44700955886900556:0.517684829269665:0.5940134899258047:0.6698442320993253:0.7599073773339392:"
            + "0.880772798021944:1.029906303984213";

    /** σ_Q on every layer, as {@code tau-matched} solves it (levels of the solver's kind, not round numbers). */
    static final String SIGMA_Q = "binary-last:-1.1173:-0.2951:0.3533:1.2089:1:-0.8,binary-last:-0.9127:-0.2219:0.2861:"
            + "0.9533:0.7:-0.61,binary-last:-0.8171:-0.1931:0.2377:0.8663:0.61:-0.52";

    static List<Activation> chain(String text) {
        return Activations.parseChain(text);
    }

    static Stream<Arguments> layerCases() {
        List<Arguments> cases = new ArrayList<>();
        for (int n : new int[] {1, 1000}) {
            for (double eps : new double[] {0.0, 0.5, 0.9}) {
                for (int k : new int[] {4, 16}) {
                    for (TernaryLayer.Path path : new TernaryLayer.Path[] {TernaryLayer.Path.COUNTS, TernaryLayer.Path.ADDITIONS,
                        TernaryLayer.Path.GEMM}) {
                        cases.add(Arguments.of(n, eps, k, path));
                    }
                }
            }
        }
        return cases.stream();
    }

    /**
     * One hidden layer, d_in = 150, d_out = 77 (not multiples of 64), input levels i.i.d. uniform
     * over the K levels of layer 1's staircase, output σ = layer 2's staircase. Reference: the
     * pre-activation in double, {@code u_j = a·Σ_i T_ji (c(i) − m0)/√d_in}, summed from the exact
     * entries of T; every unit's piece must equal the reference's except where u_j lies within
     * {@link #roundingBound} of a threshold.
     */
    @ParameterizedTest
    @MethodSource("layerCases")
    void hiddenLayerDecidesEveryUnitAsTheDoubleReference(int n, double epsilon, int k, TernaryLayer.Path path) {
        SplittableRandom rng = new SplittableRandom(31 + k);
        List<Activation> chain = chain(k == 4 ? K4 : K16);
        PiecewiseConstant in = (PiecewiseConstant) chain.get(0);
        PiecewiseConstant sigma = (PiecewiseConstant) chain.get(1);
        int dIn = 150;
        int dOut = 77;
        TernaryMatrix t = TernaryMatrix.sample(new Initializer.SparseTernary(epsilon, false), dOut, dIn, rng);
        LevelPlanes inPlanes = LevelPlanes.of(in);
        assertEquals(k - 1, inPlanes.planes());
        double m0 = in.moments(0.9).m0();
        int nBlk = (n + 63) / 64;
        long[][] sliced = new long[inPlanes.planes()][dIn * nBlk];
        double[][] h = new double[n][dIn];
        for (int s = 0; s < n; s++) {
            for (int i = 0; i < dIn; i++) {
                int code = rng.nextInt(k);
                if (code > 0) {
                    sliced[code - 1][i * nBlk + s / 64] |= 1L << s;
                }
                h[s][i] = (inPlanes.levelOfCode(code) - m0) / Math.sqrt(dIn);
            }
        }
        long[][] out = new TernaryLayer(t, inPlanes, m0, sigma, path).apply(sliced, nBlk, n);
        checkAgainstDouble(t, h, LevelPlanes.of(sigma), out, nBlk);
    }

    /** The first layer with a 16-level σ_1 on real input, unit by unit against the double reference. */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({"1, 0.0", "1, 0.9", "1000, 0.0", "1000, 0.9"})
    void firstLayerDecidesEveryUnitAsTheDoubleReference(int n, double epsilon) {
        SplittableRandom rng = new SplittableRandom(41);
        int p = 100;
        int dOut = 131;
        TernaryMatrix t = TernaryMatrix.sample(new Initializer.SparseTernary(epsilon, false), dOut, p, rng);
        Tensor x = PackedNetworkTest.gaussianRows(n, p, rng);
        double[][] h = new double[n][p];
        for (int s = 0; s < n; s++) {
            for (int i = 0; i < p; i++) {
                h[s][i] = x.get(s, i);
            }
        }
        LevelPlanes planes = LevelPlanes.of((PiecewiseConstant) chain(K16).get(0));
        int nBlk = (n + 63) / 64;
        long[][] out = FirstLayerKernel.apply(t, planes, x.data(), p, 0, n, false, nBlk);
        checkAgainstDouble(t, h, planes, out, nBlk);
    }

    /**
     * The rounding bound of the packed float paths (first layer, ADDITIONS): the sums are float
     * sums of d terms whose inputs carry one rounding each, and the SIGNS form forms
     * {@code 2·Σ₊ − Σ}, so the packed u differs from the exact one by at most
     * {@code 3·γ_{d+2}·a·Σ_i |T_ji||h_i|} (Higham, Accuracy and Stability of Numerical Algorithms,
     * 2nd ed., §3.1, γ_m = m·u/(1 − m·u)); 4·γ_{d+2} is used. The COUNTS path is exact in integers
     * and rounds only in double, far inside it.
     */
    static double roundingBound(int d, double magnitude) {
        double gamma = (d + 2) * U / (1 - (d + 2) * U);
        return 4 * gamma * magnitude;
    }

    /** Every unit of {@code out} against the double reference {@code u = a·T·h}, away from thresholds. */
    private static void checkAgainstDouble(TernaryMatrix t, double[][] h, LevelPlanes planes, long[][] out, int nBlk) {
        int n = h.length;
        int d = t.cols();
        double a = t.level();
        double[] thresholds = planes.thresholds();
        int[] planeOf = planes.planeOfPiece();
        int compared = 0;
        boolean[] pieceSeen = new boolean[thresholds.length + 1];
        for (int j = 0; j < t.rows(); j++) {
            for (int s = 0; s < n; s++) {
                double u = 0;
                double magnitude = 0;
                for (int i = 0; i < d; i++) {
                    int e = t.entry(j, i);
                    u += e * h[s][i];
                    magnitude += Math.abs(e * h[s][i]);
                }
                u *= a;
                double bound = roundingBound(d, a * magnitude);
                boolean near = false;
                for (double th : thresholds) {
                    near |= Math.abs(u - th) <= bound;
                }
                if (near) {
                    continue;
                }
                compared++;
                int piece = planes.piece(u);
                pieceSeen[piece] = true;
                for (int q = 0; q < out.length; q++) {
                    boolean set = (out[q][j * nBlk + s / 64] >>> (s & 63) & 1) != 0;
                    assertEquals(planeOf[piece] == q, set, "unit " + j + ", sample " + s + ", plane " + q + ", u = " + u);
                }
            }
        }
        // Non-vacuous: the bound (~1e−4 of a pre-activation spread ~1) leaves nearly every unit compared,
        // and the reference's pieces cover many of σ's pieces.
        int total = n * t.rows();
        assertTrue(compared >= 0.9 * total, compared + " of " + total + " units away from every threshold");
        int seen = 0;
        for (boolean b : pieceSeen) {
            seen += b ? 1 : 0;
        }
        assertTrue(seen >= Math.min(3, pieceSeen.length), seen + " pieces of σ seen");
    }

    static Stream<Arguments> networkCases() {
        List<Arguments> cases = new ArrayList<>();
        for (String chain : new String[] {"K4", "K16", "SIGMA_Q"}) {
            for (int n : new int[] {1, 1000}) {
                for (double eps : new double[] {0.0, 0.9}) {
                    for (TernaryLayer.Path path : new TernaryLayer.Path[] {TernaryLayer.Path.COUNTS, TernaryLayer.Path.ADDITIONS,
                        TernaryLayer.Path.GEMM}) {
                        cases.add(Arguments.of(chain, n, eps, path));
                    }
                }
            }
        }
        return cases.stream();
    }

    /**
     * Whole networks (p = 100, widths 150, 130, 70) on both paths: the packed features equal the
     * dense engine's bit for bit on every sample, including samples put on a first-layer threshold
     * ({@link PackedNetworkTest#onThresholds}), since both sum exactly on the grids of
     * {@link ntklc.compression.ExactSums}.
     */
    @ParameterizedTest
    @MethodSource("networkCases")
    void staircaseNetworkEqualsTheDenseEngineOnEverySample(String name, int n, double epsilon,
                                                          TernaryLayer.Path path) {
        List<Activation> chain = chain(switch (name) {
            case "K4" -> K4;
            case "K16" -> K16;
            default -> SIGMA_Q;
        });
        SplittableRandom data = new SplittableRandom(23);
        int p = 100;
        int[] widths = {150, 130, 70};
        Tensor x = PackedNetworkTest.gaussianRows(n, p, data);
        double tau0 = RandomFeatureNetwork.tau0(x);
        Initializer law = new Initializer.SparseTernary(epsilon, false);
        assertTrue(PackedNetwork.supports(law, chain));
        RandomFeatureNetwork dense = RandomFeatureNetwork.sample(p, widths, chain, law, tau0, new SplittableRandom(9));
        PackedNetwork packed = PackedNetwork.sample(p, widths, chain, law, tau0, new SplittableRandom(9)).onPath(path);
        assertEquals(List.of(path, path), packed.paths());
        PackedNetworkTest.onThresholds(x, dense, data);
        Tensor fd = dense.features(x, 333);
        Tensor fp = packed.features(x, 100);
        for (int s = 0; s < n; s++) {
            for (int j = 0; j < fd.cols(); j++) {
                assertEquals(fd.get(s, j), fp.get(s, j), 0.0f, "sample " + s + ", feature " + j);
            }
        }
        // Non-vacuous: with 15 thresholds per unit nearly every sample has a unit within float
        // rounding of a threshold in an unrounded float pass, where a non-exact engine may differ.
        int near = 0;
        for (boolean b : PackedNetworkTest.nearThreshold(dense, x)) {
            near += b ? 1 : 0;
        }
        assertTrue(near >= n / 2, near + " of " + n + " samples near a threshold");
    }

    @Test
    void featuresHoldFourBitLevelCodesForSixteenLevels() {
        // ⌈log2 16⌉ = 4 code planes of n·⌈d/64⌉ words each, whatever the 15 one-hot planes in flight.
        List<Activation> chain = chain(K16);
        PackedNetwork net = PackedNetwork.sample(100, new int[] {70, 65, 130}, chain,
                new Initializer.SparseTernary(0.9, false), 1.0, new SplittableRandom(2));
        Tensor x = PackedNetworkTest.gaussianRows(300, 100, new SplittableRandom(3));
        PackedFeatures f = net.packedFeatures(x, 512);
        assertEquals(4L * 300 * 3 * 8, f.residentBytes());
        LevelPlanes last = LevelPlanes.of((PiecewiseConstant) chain.get(2));
        assertEquals(4, last.codeBits());
        Tensor dense = f.gather(new int[] {0, 299});
        double scale = 1 / Math.sqrt(130);
        for (int j = 0; j < 130; j++) {
            int code = f.bits(299, j);
            assertTrue(code <= 15);
            assertEquals((float) ((last.levelOfCode(code) - net.layers().get(2).centring()) * scale), dense.get(1, j));
        }
    }
}
