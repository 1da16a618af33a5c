package ntklc.experiments;

import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

import ntklc.linalg.Matrix;
import ntklc.linalg.Products;
import ntklc.tensor.MatMul;

/**
 * The time a {@code report} sub-run will take: its work counted in multiply-adds ({@link Work}),
 * divided by the GEMM throughputs of this CPU ({@link Rates}, measured at start-up in about a
 * second, or the reference machine's).
 *
 * <p>Each kind of work is counted in GEMM-equivalent multiply-adds: its raw multiply-adds divided
 * by its efficiency relative to a plain 1024³ SGEMM (or 512³ DGEMM) on the same CPU, measured on
 * the 2-core AMD EPYC Zen 3 development machine by timing a piece of each artefact at the paper's
 * sizes (docs/report.md, "Estimated time", gives the runs). A CPU whose GEMM is twice as fast is
 * estimated twice as fast for everything; what does not scale with the GEMM (data loading, JIT,
 * solver restarts) is a fixed number of seconds.
 */
final class ReportEstimates {
    private ReportEstimates() {
    }

    /**
     * GEMM throughputs in multiply-adds per second.
     *
     * @param sgemm  single precision, {@code C = A·B} of 1024×1024 matrices, all cores
     * @param dgemm  double precision ({@link Products#multiply}), 512×512, all cores
     * @param origin where they come from, for the printed basis
     */
    record Rates(double sgemm, double dgemm, String origin) {
        /**
         * The development machine (2-core AMD EPYC Zen 3, KVM) idle: SGEMM 21.9 GMAC/s, the dense
         * 1024×20000×20000 product of docs/bench (18.7 s at load 3.4); DGEMM a fifth of it, the
         * ratio {@link #measure} gave in the sessions that timed the pieces (0.17–0.26).
         */
        static final Rates REFERENCE = new Rates(21.9e9, 4.4e9, "reference: 2-core AMD EPYC Zen 3, idle");

        /**
         * Times the two products on this CPU now: the best of the repetitions made in about half a
         * second each, after one warm-up (about a second in all).
         */
        static Rates measure() {
            SplittableRandom rng = new SplittableRandom(1);
            int n = 1024;
            float[] a = new float[n * n];
            float[] b = new float[n * n];
            float[] c = new float[n * n];
            for (int i = 0; i < a.length; i++) {
                a[i] = (float) rng.nextGaussian();
                b[i] = (float) rng.nextGaussian();
            }
            double sgemm = (double) n * n * n / best(() -> MatMul.gemm(a, b, c, n, n, n, false));
            int m = 512;
            Matrix x = Matrix.zeros(m, m);
            Matrix y = Matrix.zeros(m, m);
            for (int i = 0; i < x.data().length; i++) {
                x.data()[i] = rng.nextGaussian();
                y.data()[i] = rng.nextGaussian();
            }
            double dgemm = (double) m * m * m / best(() -> Products.multiply(x, y));
            double load = java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
            return new Rates(sgemm, dgemm, String.format(Locale.ROOT, "measured now on %s (load average %.1f)",
                    ntklc.report.BuildInfo.current().cpu(), load));
        }

        /** The shortest of the runs of {@code product} in 0.5 s (at least 3) after one warm-up, in seconds. */
        private static double best(Runnable product) {
            product.run();
            double best = Double.MAX_VALUE;
            long start = System.nanoTime();
            for (int r = 0; r < 3 || System.nanoTime() - start < 500_000_000L; r++) {
                long t0 = System.nanoTime();
                product.run();
                best = Math.min(best, (System.nanoTime() - t0) / 1e9);
            }
            return best;
        }

        String describe() {
            return String.format(Locale.ROOT, "SGEMM %.1f GMAC/s, DGEMM %.1f GMAC/s (%s)", sgemm / 1e9, dgemm / 1e9, origin);
        }
    }

    /**
     * The work of one run: GEMM-equivalent multiply-adds in single and double precision, and
     * seconds that do not scale with the GEMM.
     */
    record Work(double sgemmMacs, double dgemmMacs, double fixedSeconds) {
        static final Work NONE = new Work(0, 0, 0);

        Work plus(Work o) {
            return new Work(sgemmMacs + o.sgemmMacs, dgemmMacs + o.dgemmMacs, fixedSeconds + o.fixedSeconds);
        }

        Work times(double k) {
            return new Work(sgemmMacs * k, dgemmMacs * k, fixedSeconds * k);
        }

        double seconds(Rates r) {
            return fixedSeconds + sgemmMacs / r.sgemm() + dgemmMacs / r.dgemm();
        }
    }

    // Efficiencies relative to the start-up GEMM, measured at the paper's sizes (docs/report.md).

    /**
     * Monte-Carlo CK draw (float forward and Gram): fig2-right at n = 3200, widths 2000,2000,1000,
     * 3.45·10¹⁰ multiply-adds per draw in 4.3 s (draws 2–3) at SGEMM 5.9 GMAC/s (the loaded session's).
     */
    static final double CK_DRAW = 1.3;
    /**
     * Monte-Carlo NTK draw (the explicit layer recursion in double): ntk-spectrum's sizes,
     * 1.28·10¹¹ multiply-adds per draw in 131 s at DGEMM 1.2 GMAC/s (0.8), times 1.7 since its
     * large products run on {@code linalg.Gemm}: 4 draws at n = 1000, p = 2000, widths
     * 1000,1000,500 in 5.4 s against 8.8 s for the whole run, quiet, AMD EPYC Zen 3.
     */
    static final double NTK_DRAW = 1.4;
    /**
     * Symmetric eigensolver: {@code EIGEN·n³} DGEMM multiply-adds per decomposition (the two of
     * fig2-right at n = 3200 and the Gram {@code XXᵀ}: 69 s at DGEMM 1.2 GMAC/s).
     */
    static final double EIGEN = 1.1;
    /**
     * Dense forward pass of a random-feature network ({@code compress}, batches of 512 samples) at
     * the paper's sizes: 0.88 for widths 5000,5000,2000 on the 58 000 MNIST images (2.26·10¹² in
     * 203 s at session SGEMM 12.6 GMAC/s); docs/bench's 20000² layer runs at the reference rate
     * (1.0). Narrow networks do better (1.2–1.5 in the quick report), but the wide ones dominate.
     */
    static final double DENSE_FORWARD = 0.9;
    /**
     * Packed-engine forward pass of an NTK-LC network, in dense-pass units: the first layer (real
     * MNIST inputs against the ternary weights) costs {@code PACKED_FIRST} times its dense GEMM,
     * a hidden layer (bits against bits) {@code PACKED_HIDDEN} times, at ε = 0 and at ε = 0.9 (linear
     * in ε between). The first-layer factors are fitted to the idle quick report's packed and dense
     * passes at widths 1500³ and 2500³ (speed-ups 1.6 and 2.0 at ε = 0, 4.3 and 6.7 at ε = 0.9); the
     * hidden factor at ε = 0 to the paper-size pass at 5000,5000,2000 (3.2× faster than dense:
     * 64 s against 203 s), which agrees with docs/bench's 20000² layer (7.4×, i.e. 0.135).
     */
    static final double PACKED_FIRST_EPS0 = 2.0;
    static final double PACKED_FIRST_EPS09 = 1.1;
    static final double PACKED_HIDDEN_EPS0 = 0.13;
    static final double PACKED_HIDDEN_EPS09 = 0.03;
    /**
     * Softmax readout (Adam, the paper's 100 epochs): GEMM-equivalent multiply-adds per feature,
     * training sample and epoch. The idle quick report took 3.3 ns per feature and sample-epoch for
     * every K from 2 to 10 (memory-bound: each epoch streams the features), i.e. 72 multiply-adds at
     * 21.9 GMAC/s; on packed features, unpacked chunk by chunk every epoch, 2.1 times that with
     * the unit-by-unit unpacking, and 0.73 times that (110) since {@code PackedFeatures} unpacks
     * eight units per step (a 1500³ MNIST {@code best} network: readout 6.0–6.2 s against 8.3 s,
     * same script, quiet AMD EPYC Zen 3).
     */
    static final double SOFTMAX_DENSE = 72;
    static final double SOFTMAX_PACKED = 110;
    /** Ridge readout (double Gram and Cholesky). */
    static final double RIDGE = 1.0;
    /** JVM start, data loading and generation, charts: seconds per run. */
    static final double OVERHEAD = 2;
    /**
     * {@code compress}: seconds of the NTK-LC solver (Algorithm 1), the data loading and the kernel
     * check, once per run whatever its widths: 2–4 s for the paper's variant, 90–110 s for the
     * staircase of the project's variant (the idle quick report's runs minus their networks).
     */
    static final double SOLVER_PAPER = 3;
    static final double SOLVER_STAIRCASE = 95;

    /** The basis of the estimates, one line per constant, for {@code --dry-run}. */
    static String basis(Rates r) {
        return String.format(Locale.ROOT, "basis: %s; efficiency of each kind of work against that GEMM, measured on"
                + " the 2-core AMD EPYC Zen 3 (docs/report.md): Monte-Carlo CK draw %.1f, NTK draw (double) %.1f,"
                + " eigensolver %.1f·n³ per decomposition, dense forward %.1f; packed NTK-LC forward: first layer %.1f"
                + " to %.1f, hidden layers %.2f to %.2f of the dense pass (ε = 0 to 0.9); softmax readout %.0f (dense"
                + " features) and %.0f (packed) multiply-adds per feature and sample-epoch; fixed %.0f s per run, and"
                + " the NTK-LC solver %.0f s (paper) or %.0f s (staircase) per compress run", r.describe(), CK_DRAW,
                NTK_DRAW, EIGEN, DENSE_FORWARD, PACKED_FIRST_EPS0, PACKED_FIRST_EPS09, PACKED_HIDDEN_EPS0,
                PACKED_HIDDEN_EPS09, SOFTMAX_DENSE, SOFTMAX_PACKED, OVERHEAD, SOLVER_PAPER, SOLVER_STAIRCASE);
    }

    /** Σ_ℓ d_{ℓ−1}·d_ℓ with d_0 = p: the multiply-adds of one sample's forward pass. */
    static double perSample(int p, int[] w) {
        double s = (double) p * w[0];
        for (int l = 1; l < w.length; l++) {
            s += (double) w[l - 1] * w[l];
        }
        return s;
    }

    /**
     * {@code spectrum --method=monte-carlo}: {@code draws} draws (0 when it reuses another run's),
     * each a forward pass of n samples and the Gram of the last layer (CK, float), or the forward
     * pass, the backward pass and a Gram per layer of activations and of back-propagated errors
     * (NTK, double: {@code n·Σ d_{ℓ−1}d_ℓ} twice and {@code n²·(d_L + Σ_ℓ d_ℓ + Σ_ℓ d_{ℓ−1})}); then
     * the Gram {@code XXᵀ} ({@code n²·p}) and two eigen-decompositions. With
     * {@code firstLayerByFactor} (a CK run whose first layer is drawn as {@code L·G}, docs/theory.md
     * §2.2) the first layer costs {@code n·d_1} per sample instead of {@code p·d_1}, and the Cholesky
     * factor {@code n³/3} once.
     */
    static Work spectrum(int n, int p, int[] w, int draws, boolean ntk, boolean firstLayerByFactor) {
        double nn = (double) n * n;
        Work draw;
        if (ntk) {
            double grams = w[w.length - 1] + p;
            for (int l = 0; l < w.length; l++) {
                grams += 2.0 * w[l];
            }
            grams -= w[w.length - 1];
            double back = perSample(p, w) - (double) p * w[0];
            draw = new Work(0, (n * (perSample(p, w) + back) + nn * grams) / NTK_DRAW, 0);
        } else {
            int fanIn = firstLayerByFactor ? Math.min(n, p) : p;
            draw = new Work((n * perSample(fanIn, w) + nn * w[w.length - 1]) / CK_DRAW, 0, 0);
        }
        double factor = !ntk && firstLayerByFactor ? nn * n / 3 : 0;
        Work once = new Work(0, nn * p + factor + 2 * EIGEN * nn * n, OVERHEAD);
        return draw.times(draws).plus(once);
    }

    /**
     * {@code compress}: per width set the solver, and per network the forward pass of every
     * training and test sample (dense, or packed: {@link #packedPass}) and the softmax readout
     * ({@code epochs·nTrain·d_L} feature reads, K ≤ 10 does not show).
     *
     * @param denseNetworks  networks per width set on the dense engine (original, naive, dense NTK-LC)
     * @param packedEpsilons ε of the NTK-LC networks per width set on the packed engine
     * @param solverSeconds  {@link #SOLVER_PAPER} or {@link #SOLVER_STAIRCASE}
     */
    static Work compress(List<int[]> widthSets, int p, int classes, int trainPerClass, int testPerClass, int epochs,
                         int denseNetworks, double[] packedEpsilons, double solverSeconds) {
        double n = (double) classes * (trainPerClass + testPerClass);
        double nTrain = (double) classes * trainPerClass;
        Work total = new Work(0, 0, OVERHEAD + solverSeconds);
        for (int[] w : widthSets) {
            double reads = epochs * nTrain * w[w.length - 1];
            double macs = denseNetworks * (n * perSample(p, w) / DENSE_FORWARD + reads * SOFTMAX_DENSE);
            for (double eps : packedEpsilons) {
                macs += n * packedPass(p, w, eps) / DENSE_FORWARD + reads * SOFTMAX_PACKED;
            }
            total = total.plus(new Work(macs, 0, 0));
        }
        return total;
    }

    /**
     * One sample's packed forward pass in dense multiply-adds: {@code first(ε)·p·d_1 + hidden(ε)·Σ_{ℓ≥2}
     * d_{ℓ−1}d_ℓ}, the factors linear in ε between {@link #PACKED_FIRST_EPS0} … measured at ε = 0 and 0.9.
     */
    static double packedPass(int p, int[] w, double eps) {
        double t = Math.min(1, Math.max(0, eps / 0.9));
        double first = PACKED_FIRST_EPS0 + t * (PACKED_FIRST_EPS09 - PACKED_FIRST_EPS0);
        double hidden = PACKED_HIDDEN_EPS0 + t * (PACKED_HIDDEN_EPS09 - PACKED_HIDDEN_EPS0);
        return first * p * w[0] + hidden * (perSample(p, w) - (double) p * w[0]);
    }

    /**
     * {@code activations} (App. B Tables 1–2): ten activations, each a forward pass of the two-class
     * data and a ridge readout (the {@code d_L×d_L} Gram of the training features and its Cholesky).
     */
    static Work activations(int trainPerClass, int testPerClass, int[] w) {
        double n = 2.0 * (trainPerClass + testPerClass);
        double ridge = (2.0 * trainPerClass * w[w.length - 1] * (double) w[w.length - 1]
                + Math.pow(w[w.length - 1], 3) / 3) / RIDGE;
        return new Work(10 * n * perSample(784, w) / DENSE_FORWARD, 10 * ridge, OVERHEAD);
    }
}
