package ntklc.tensor;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * gemm2 (8-row register tile) and gemm3 (6-row): the fast GEMM kernel, {@code C += op(A)·op(B)},
 * written with the incubating Vector API in the structure of GotoBLAS / BLIS (Goto &amp; van de
 * Geijn, "Anatomy of high-performance matrix multiplication", ACM TOMS 34(3), 2008, Fig. 4; Van Zee
 * &amp; van de Geijn, BLIS, TOMS 41(3), 2015).
 *
 * <pre>
 * for jc in steps of NC over n:                     B block  KC×NC  (L3)
 *   for pc in steps of KC over k:
 *     pack B[pc:pc+KC, jc:jc+NC] into panels of NR columns
 *     for ic in steps of MC over m:                 A block MC×KC  (L2)
 *       pack A[ic:ic+MC, pc:pc+KC] into panels of MR rows
 *       for jr in steps of NR:                      B micro-panel KC×NR (L1)
 *         for ir in steps of MR:                    A micro-panel MR×KC (L1)
 *           C[ir:ir+MR, jr:jr+NR] += Ap·Bp           MR×NR accumulators in registers
 * </pre>
 *
 * With several cores ({@link #shared}), the cores pack each block of B together into one shared
 * buffer and then take row blocks and column groups of C from shared counters, each packing its
 * own A block. (A B supplied by a {@link MatMul.PanelSource} instead gives each core one slice of
 * the rows of C, over which it runs these loops on its own.)
 *
 * <p>The micro-kernel keeps an {@code MR × NR} tile of {@code C}, {@code NR = 2L} ({@code L} =
 * lanes of the preferred species: 16 floats with AVX-512, 8 with AVX2), in {@code 2·MR} vector
 * registers; per step of {@code k} it loads two vectors of {@code B}, broadcasts {@code MR}
 * scalars of {@code A} and issues {@code 2·MR} fused multiply-adds. {@code MR = 8} needs 19
 * registers and so suits AVX-512's 32; with AVX2's 16 it spills, and {@code MR = 6} (15 registers)
 * is the BLIS choice there. {@code MR}, {@code KC}, {@code MC} and {@code NC} come from
 * {@link GemmTiles} (the CPU's cache sizes, or a stored tuning). Packing lays both operands out in
 * exactly the order the micro-kernel reads them (zero-padded at the edges), which is also what
 * makes the transposed cases free. Loaded only when {@code jdk.incubator.vector} is present (see
 * {@link MatMul}).
 *
 * <p>NOTE: HotSpot needs one to two seconds of calls before C2 has compiled the blocked loops;
 * until then this kernel runs several times slower (benchmarks warm up for that long).
 */
final class VectorGemm implements MatMul.Kernel {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Columns of the register tile (two vectors). */
    static final int NR = 2 * L;

    private final GemmTiles tiles;
    /** Rows of the register tile (6 or 8). */
    private final int mr;
    /** Depth of a packed block: one B micro-panel is {@code KC·NR·4} bytes. */
    private final int kcBlock;
    /** Rows of a packed A block (a multiple of {@link #mr}). */
    private final int mcBlock;
    /** Columns of a packed B block (a multiple of {@link #NR}). */
    private final int ncBlock;

    /** The kernel with the tiles of this machine ({@link GemmTiles#load}). */
    VectorGemm() {
        this(GemmTiles.load(CpuCaches.current(), L));
    }

    VectorGemm(GemmTiles tiles) {
        if (tiles.mr() != 6 && tiles.mr() != 8) {
            throw new IllegalArgumentException("no micro-kernel with " + tiles.mr() + " rows (6 or 8)");
        }
        if (tiles.mc() % tiles.mr() != 0 || tiles.nc() % NR != 0) {
            throw new IllegalArgumentException("tiles " + tiles + ": mc must be a multiple of mr, nc of " + NR);
        }
        this.tiles = tiles;
        this.mr = tiles.mr();
        this.kcBlock = tiles.kc();
        this.mcBlock = tiles.mc();
        this.ncBlock = tiles.nc();
    }

    /** gemm2 and gemm3: both register tiles, each with this CPU's cache blocking for its depth. Called by {@link MatMul#variants}. */
    static List<MatMul.Kernel> variants() {
        GemmTiles own = GemmTiles.load(CpuCaches.current(), L);
        List<MatMul.Kernel> out = new ArrayList<>();
        for (int rows : GemmTiles.MICRO_KERNEL_ROWS) {
            out.add(new VectorGemm(rows == own.mr() ? own
                    : GemmTiles.withDepth(rows, own.kc(), NR, CpuCaches.current(), own.source())));
        }
        out.sort((x, y) -> x.name().compareTo(y.name()));
        return out;
    }

    /** The tiles the kernel in use runs with, for {@link MatMul#tilesDescription}. */
    static String describeTiles() {
        MatMul.Kernel k = MatMul.kernel();
        GemmTiles t = k instanceof VectorGemm v ? v.tiles : GemmTiles.load(CpuCaches.current(), L);
        return t.describe(L);
    }

    /**
     * The autotune behind {@code bench --retune}: times one core's {@code 768×768·768×768} product
     * for both register tiles and block depths {@code kc/2, kc, 2·kc} around the cache-derived
     * {@code kc} (each with {@code mc, nc} from the caches), after ~1.5 s of JIT warm-up, the best
     * of five rounds per candidate; stores the fastest ({@link GemmTiles#save}) and returns a
     * kernel that uses it. Progress lines go to {@code log}.
     */
    static VectorGemm retune(Consumer<String> log) throws IOException {
        CpuCaches caches = CpuCaches.current();
        GemmTiles base = GemmTiles.fromCaches(caches, L);
        List<GemmTiles> candidates = new ArrayList<>();
        for (int rows : GemmTiles.MICRO_KERNEL_ROWS) {
            for (int kc : new int[] {base.kc() / 2, base.kc(), 2 * base.kc()}) {
                if (kc >= 32 && kc <= 1024) {
                    candidates.add(GemmTiles.withDepth(rows, kc / 8 * 8, NR, caches, "autotune"));
                }
            }
        }
        int n = 768;
        java.util.SplittableRandom rng = new java.util.SplittableRandom(1);
        float[] a = new float[n * n];
        float[] b = new float[n * n];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) (rng.nextDouble() * 2 - 1);
            b[i] = (float) (rng.nextDouble() * 2 - 1);
        }
        float[] c = new float[n * n];
        List<VectorGemm> kernels = candidates.stream().map(VectorGemm::new).toList();
        long warmEnd = System.nanoTime() + 1_500_000_000L;
        while (System.nanoTime() < warmEnd) {
            for (VectorGemm kg : kernels) {
                kg.sequential(n / 4, n, n, a, 0, n, 1, b, 0, n, 1, c, 0, n);
            }
        }
        double[] best = new double[kernels.size()];
        java.util.Arrays.fill(best, Double.MAX_VALUE);
        for (int round = 0; round < 5; round++) {
            for (int i = 0; i < kernels.size(); i++) {
                long t0 = System.nanoTime();
                kernels.get(i).sequential(n, n, n, a, 0, n, 1, b, 0, n, 1, c, 0, n);
                best[i] = Math.min(best[i], (System.nanoTime() - t0) / 1e9);
            }
        }
        int winner = 0;
        for (int i = 0; i < kernels.size(); i++) {
            log.accept(String.format(java.util.Locale.ROOT, "retune: %s  %.1f GFLOP/s on one core",
                    candidates.get(i).describe(L), 2.0 * n * n * n / best[i] / 1e9));
            if (best[i] < best[winner]) {
                winner = i;
            }
        }
        GemmTiles chosen = candidates.get(winner);
        chosen.save(caches, L);
        log.accept("retune: chose " + chosen.describe(L) + ", stored in " + GemmTiles.cacheFile(caches, L));
        return kernels.get(winner);
    }

    /** Lanes of the preferred float species (8 with AVX2, 16 with AVX-512). */
    static int lanes() {
        return L;
    }

    GemmTiles tiles() {
        return tiles;
    }

    @Override
    public String name() {
        return mr == 8 ? "gemm2" : "gemm3";
    }

    @Override
    public String description() {
        return "vector-" + S.vectorBitSize() + " (" + mr + "×" + NR + " register tile)";
    }

    @Override
    public void multiplyAdd(int m, int n, int k, float[] a, int aOff, int aRs, int aCs,
                            float[] b, int bOff, int bRs, int bCs, float[] c, int cOff, int ldc, boolean parallel) {
        if (!parallel || !MatMul.splitAcrossCores(m, n, k)) {
            sequential(m, n, k, a, aOff, aRs, aCs, b, bOff, bRs, bCs, c, cOff, ldc);
            return;
        }
        shared(Parallel.threads(), m, n, k, a, aOff, aRs, aCs, b, bOff, bRs, bCs, c, cOff, ldc);
    }

    /**
     * {@code C += op(A)·op(B)} on {@code threads} cores sharing one packed block of B at a time
     * (BLIS's parallel macro-kernel, Smith et al., "Anatomy of high-performance many-threaded
     * matrix multiplication", IPDPS 2014). For each block {@code B[pc:pc+kc, jc:jc+nc]}:
     * <ol>
     *   <li>the cores pack its column panels together, a few panels at a time from a shared counter;</li>
     *   <li>each core takes a row block of C ({@code mc} rows, the L2 block), packs those rows of A
     *       into its own buffer and multiplies them by the block, one group of {@link
     *       SharedProduct#GROUP_PANELS} column panels at a time from that row block's own counter;</li>
     *   <li>a core that finds no row block left joins the row blocks still in progress, taking their
     *       remaining column groups (and packing their rows of A for itself).</li>
     * </ol>
     * The caller works as one of the cores, so the product completes even if no other core ever
     * joins (a busy machine; see {@link Parallel}), and a core only ever waits for work that a running core has
     * claimed: at the two hand-overs per block (B packed; every unit of the block done before B is
     * overwritten).
     *
     * <p>NOTE: the former split, one fixed slice of C per core each packing all of B for itself,
     * lost whenever one core was pre-empted on this shared 2-vCPU machine: the other then idled at
     * the end, and 2 cores ran at the speed of 1 as often as not. Column groups taken on demand
     * move the last row block's work to whichever core is running.
     */
    void shared(int threads, int m, int n, int k, float[] a, int aOff, int aRs, int aCs,
                float[] b, int bOff, int bRs, int bCs, float[] c, int cOff, int ldc) {
        SharedProduct product = new SharedProduct(threads, m, n, k, a, aOff, aRs, aCs, b, bOff, bRs, bCs, c, cOff, ldc);
        // One work() per core; a core that comes late finds nothing left and returns.
        Parallel.forRange(threads, 1, (t0, t1) -> {
            for (int t = t0; t < t1; t++) {
                product.work();
            }
        });
        product.release();
    }

    /**
     * The state of one {@link #shared} product: its blocks of B ({@code jc}-major, then {@code pc}),
     * the row blocks and column groups each block of C is cut into, and the counters the cores
     * claim work from.
     */
    private final class SharedProduct {
        /** Column panels of B per packing task. */
        private static final int PACK_PANELS = 4;
        /**
         * Column panels per unit of C (128 columns with AVX2): small enough that the last row
         * block of a block of B is shared out finely, large enough that a unit's C tiles and
         * bookkeeping are a small part of its {@code mc·128·kc} multiply-adds.
         */
        private static final int GROUP_PANELS = 8;

        private final int m;
        private final int n;
        private final int k;
        private final float[] a;
        private final int aOff;
        private final int aRs;
        private final int aCs;
        private final float[] b;
        private final int bOff;
        private final int bRs;
        private final int bCs;
        private final float[] c;
        private final int cOff;
        private final int ldc;
        private final int kcMax;
        private final int ncMax;
        private final int rowBlocks;
        /** Rows of C per row block (the last may have fewer): at most the L2 block {@code mc}, fewer so that every core gets one. */
        private final int unitRows;
        private final int depthBlocks;
        /** The packed block of B all cores read. */
        private final float[] bp;
        /** Per block {@code q}: [4q] pack tasks claimed, [4q+1] packed, [4q+2] row blocks claimed, [4q+3] column groups done. */
        private final AtomicIntegerArray counters;
        /** Per block {@code q} and row block {@code r}: [q·rowBlocks + r] column groups claimed. */
        private final AtomicIntegerArray groupsClaimed;

        SharedProduct(int threads, int m, int n, int k, float[] a, int aOff, int aRs, int aCs,
                      float[] b, int bOff, int bRs, int bCs, float[] c, int cOff, int ldc) {
            this.m = m;
            this.n = n;
            this.k = k;
            this.a = a;
            this.aOff = aOff;
            this.aRs = aRs;
            this.aCs = aCs;
            this.b = b;
            this.bOff = bOff;
            this.bRs = bRs;
            this.bCs = bCs;
            this.c = c;
            this.cOff = cOff;
            this.ldc = ldc;
            this.depthBlocks = (k + kcBlock - 1) / kcBlock;
            this.kcMax = (k + depthBlocks - 1) / depthBlocks;
            this.ncMax = Math.min(ncBlock, roundUp(n, NR));
            int blocks = (n + ncMax - 1) / ncMax * depthBlocks;
            // Row blocks of at most mc rows, at least one per core, and of nearly equal height (at
            // m = 256: 90, 90, 76 rather than 126, 126, 4).
            int most = Math.min(mcBlock, roundUp((m + threads - 1) / threads, mr));
            this.rowBlocks = (m + most - 1) / most;
            this.unitRows = roundUp((m + rowBlocks - 1) / rowBlocks, mr);
            float[] spare = SHARED_B.getAndSet(null);
            this.bp = spare != null && spare.length >= kcMax * ncMax ? spare : new float[kcMax * ncMax];
            this.counters = new AtomicIntegerArray(4 * blocks);
            this.groupsClaimed = new AtomicIntegerArray(blocks * rowBlocks);
        }

        /** Column groups of a block {@code panels} panels wide. */
        private int groups(int panels) {
            return (panels + GROUP_PANELS - 1) / GROUP_PANELS;
        }

        /** One core's share: every block in order, packing and computing whatever is not yet claimed. */
        void work() {
            float[][] buffers = PACKING.get();
            float[] ap = buffer(buffers, 1, unitRows * kcMax);
            float[] tile = buffer(buffers, 2, mr * NR + 1);
            int q = 0;
            int previousUnits = 0;
            for (int jc = 0; jc < n; jc += ncMax) {
                int nc = Math.min(ncMax, n - jc);
                int panels = (nc + NR - 1) / NR;
                int packTasks = (panels + PACK_PANELS - 1) / PACK_PANELS;
                int groups = groups(panels);
                for (int pc = 0; pc < k; pc += kcMax, q++) {
                    int kc = Math.min(kcMax, k - pc);
                    awaitCount(4 * q - 1, previousUnits);
                    for (int t; (t = counters.getAndIncrement(4 * q)) < packTasks; ) {
                        int p0 = t * PACK_PANELS;
                        packB(b, bOff, bRs, bCs, pc, kc, jc, nc, p0, Math.min(panels, p0 + PACK_PANELS), bp);
                        counters.incrementAndGet(4 * q + 1);
                    }
                    awaitCount(4 * q + 1, packTasks);
                    for (int r; (r = counters.getAndIncrement(4 * q + 2)) < rowBlocks; ) {
                        rowBlock(q, r, groups, pc, kc, jc, nc, panels, ap, tile);
                    }
                    for (int r = 0; r < rowBlocks; r++) {
                        rowBlock(q, r, groups, pc, kc, jc, nc, panels, ap, tile);
                    }
                    previousUnits = rowBlocks * groups;
                }
            }
        }

        /** Computes the still unclaimed column groups of row block {@code r} of block {@code q}, packing its A first if there are any. */
        private void rowBlock(int q, int r, int groups, int pc, int kc, int jc, int nc, int panels, float[] ap, float[] tile) {
            int i0 = r * unitRows;
            int rows = Math.min(unitRows, m - i0);
            boolean packed = false;
            for (int g; (g = groupsClaimed.getAndIncrement(q * rowBlocks + r)) < groups; ) {
                if (!packed) {
                    packA(a, aOff, aRs, aCs, i0, rows, pc, kc, ap);
                    packed = true;
                }
                int p0 = g * GROUP_PANELS;
                macroKernel(rows, kc, ap, bp, p0, Math.min(panels, p0 + GROUP_PANELS), jc, nc, c, cOff + i0 * ldc, ldc, tile);
                counters.incrementAndGet(4 * q + 3);
            }
        }

        /** Waits until counter {@code index} reaches {@code target} (work already claimed by running cores); none for index −1. */
        private void awaitCount(int index, int target) {
            if (index < 0) {
                return;
            }
            for (int spins = 0; counters.get(index) < target; spins++) {
                if (spins < 1000) {
                    Thread.onSpinWait();
                } else {
                    Thread.yield();
                }
            }
        }

        /** Hands the packed-B buffer back for the next product. */
        void release() {
            SHARED_B.set(bp);
        }
    }

    /**
     * The packed-B buffer of the last {@link #shared} product, reused by the next one (allocating
     * and zeroing {@code kc × nc} floats, 2 MiB at n = 1024, per call showed in the small sizes);
     * taken with {@code getAndSet(null)}, so two concurrent products never share it.
     */
    private static final AtomicReference<float[]> SHARED_B = new AtomicReference<>();

    @Override
    public void multiplyAdd(int m, int n, int k, float[] a, int aOff, int aRs, int aCs,
                            MatMul.PanelSource b, float[] c, int cOff, int ldc, boolean parallel) {
        if (!parallel || !MatMul.splitAcrossCores(m, n, k)) {
            sequential(m, n, k, a, aOff, aRs, aCs, null, 0, 0, 0, b, c, cOff, ldc);
            return;
        }
        // One slice of the rows of C per core, each core packing all of B from the source and
        // synchronising once per call. NOTE: the shared packing of #shared would need a source that
        // writes part of a block at an offset into the panels, which PanelSource does not offer.
        int units = (m + mr - 1) / mr;
        Parallel.forRange(units, 1, (u0, u1) -> {
            int i0 = u0 * mr;
            int i1 = Math.min(m, u1 * mr);
            sequential(i1 - i0, n, k, a, aOff + i0 * aRs, aRs, aCs, null, 0, 0, 0, b, c, cOff + i0 * ldc, ldc);
        });
    }

    /** {@code C += op(A)·op(B)} on the calling thread: the blocked loops of the class comment. */
    void sequential(int m, int n, int k, float[] a, int aOff, int aRs, int aCs,
                    float[] b, int bOff, int bRs, int bCs, float[] c, int cOff, int ldc) {
        sequential(m, n, k, a, aOff, aRs, aCs, b, bOff, bRs, bCs, null, c, cOff, ldc);
    }

    /** As above, with {@code B} from {@code source} when that is not {@code null} (then {@code b} is unused). */
    private void sequential(int m, int n, int k, float[] a, int aOff, int aRs, int aCs,
                            float[] b, int bOff, int bRs, int bCs, MatMul.PanelSource source,
                            float[] c, int cOff, int ldc) {
        // Equal depths rather than full blocks and a thin rest: with k = 576 (a 3×3 convolution of
        // 64 channels) two blocks of 288 instead of 512 + 64, whose every C tile would be loaded
        // and stored for 64 steps of work.
        final int depthBlocks = (k + kcBlock - 1) / kcBlock;
        final int kcMax = (k + depthBlocks - 1) / depthBlocks;
        final int mcMax = mcBlock;
        final int ncMax = ncBlock;
        float[][] buffers = PACKING.get();
        float[] bp = buffer(buffers, 0, Math.min(kcMax, k) * Math.min(ncMax, roundUp(n, NR)));
        float[] ap = buffer(buffers, 1, Math.min(mcMax, roundUp(m, mr)) * Math.min(kcMax, k));
        float[] tile = buffer(buffers, 2, mr * NR + 1);
        for (int jc = 0; jc < n; jc += ncMax) {
            int nc = Math.min(ncMax, n - jc);
            int colPanels = (nc + NR - 1) / NR;
            for (int pc = 0; pc < k; pc += kcMax) {
                int kc = Math.min(kcMax, k - pc);
                if (source != null) {
                    source.pack(pc, kc, jc, nc, NR, bp);
                } else {
                    packB(b, bOff, bRs, bCs, pc, kc, jc, nc, 0, colPanels, bp);
                }
                for (int i0 = 0; i0 < m; i0 += mcMax) {
                    int mc = Math.min(mcMax, m - i0);
                    packA(a, aOff, aRs, aCs, i0, mc, pc, kc, ap);
                    macroKernel(mc, kc, ap, bp, 0, colPanels, jc, nc, c, cOff + i0 * ldc, ldc, tile);
                }
            }
        }
    }

    /**
     * {@code C[0:mc, panels p0..p1) += Ap·Bp} for one packed block of A ({@code mc × kc}, in
     * {@code ap}) and column panels {@code [p0, p1)} of one packed block of B ({@code kc × nc}
     * starting at column {@code jc} of C, in {@code bp}); row 0 of this C block is at
     * {@code c[cRow0]}, row stride {@code ldc}. Full {@code mr × NR} tiles go straight to C, edge
     * tiles through {@code tile} ({@code mr·NR + 1} floats of scratch).
     */
    private void macroKernel(int mc, int kc, float[] ap, float[] bp, int p0, int p1, int jc, int nc,
                             float[] c, int cRow0, int ldc, float[] tile) {
        for (int jp = p0; jp < p1; jp++) {
            int j0 = jc + jp * NR;
            int nr = Math.min(NR, jc + nc - j0);
            for (int ir = 0; ir < mc; ir += mr) {
                int rows = Math.min(mr, mc - ir);
                int cAt = cRow0 + ir * ldc + j0;
                if (rows == mr && nr == NR) {
                    micro(kc, ap, ir * kc, bp, jp * NR * kc, c, cAt, ldc, nextTile(cAt, ir, mc, jp, p1, nc, ldc), tile);
                } else {
                    Arrays.fill(tile, 0f);
                    micro(kc, ap, ir * kc, bp, jp * NR * kc, tile, 0, NR, 0, tile);
                    for (int r = 0; r < rows; r++) {
                        for (int j = 0; j < nr; j++) {
                            c[cAt + r * ldc + j] += tile[r * NR + j];
                        }
                    }
                }
            }
        }
    }

    private void micro(int kc, float[] ap, int ai, float[] bp, int bi, float[] c, int ci, int ldc, int next, float[] sink) {
        if (mr == 6) {
            microKernel6(kc, ap, ai, bp, bi, c, ci, ldc, next, sink);
        } else {
            microKernel8(kc, ap, ai, bp, bi, c, ci, ldc, next, sink);
        }
    }

    /**
     * Where in {@code c} the full register tile after the one at {@code cAt} starts (the next
     * {@code mr} rows of the same column panel, else the top of the next column panel), so that
     * the micro-kernel can touch its rows while it computes; {@code cAt} itself when the next
     * tile is an edge tile or there is none.
     */
    private int nextTile(int cAt, int ir, int mc, int jp, int colPanels, int nc, int ldc) {
        if (ir + 2 * mr <= mc) {
            return cAt + mr * ldc;
        }
        if ((jp + 2) * NR <= nc && jp + 1 < colPanels) {
            return cAt - ir * ldc + NR;
        }
        return cAt;
    }

    /**
     * Packing buffers of the calling thread, reused across calls: a convolution issues one small
     * GEMM per image, and allocating (and zeroing) fresh KC×NC panels for each made the 3-channel
     * first VGG layer allocation-bound. Packing overwrites every entry the micro-kernel reads.
     */
    private static final ThreadLocal<float[][]> PACKING = ThreadLocal.withInitial(() -> new float[3][0]);

    private static float[] buffer(float[][] buffers, int slot, int size) {
        if (buffers[slot].length < size) {
            buffers[slot] = new float[size];
        }
        return buffers[slot];
    }

    private static int roundUp(int x, int multiple) {
        return (x + multiple - 1) / multiple * multiple;
    }

    /**
     * Packs rows {@code [i0, i0+mc)} and depths {@code [pc, pc+kc)} of {@code op(A)} into
     * {@code ap}: micro-panel {@code q} (rows {@code i0+q·MR …}) holds, for each depth {@code p},
     * its {@code MR} entries at {@code ap[q·MR·kc + p·MR + r]}; rows past {@code mc} are zero.
     */
    private void packA(float[] a, int aOff, int aRs, int aCs, int i0, int mc, int pc, int kc, float[] ap) {
        final int mrows = mr;
        for (int q = 0; q * mrows < mc; q++) {
            int base = q * mrows * kc;
            int rows = Math.min(mrows, mc - q * mrows);
            int src = aOff + (i0 + q * mrows) * aRs + pc * aCs;
            if (aCs == 1) {
                // Row-major A: read each row contiguously along p.
                for (int r = 0; r < rows; r++) {
                    for (int p = 0; p < kc; p++) {
                        ap[base + p * mrows + r] = a[src + r * aRs + p];
                    }
                }
            } else {
                // Transposed A (aRs = 1): the MR entries of one p are adjacent, read them together.
                // NOTE: walking p in the inner loop here would stride by aCs, often a power of two
                // (e.g. H·W = 1024 floats in the convolutions) and so thrash one L1 cache set.
                for (int p = 0; p < kc; p++) {
                    for (int r = 0; r < rows; r++) {
                        ap[base + p * mrows + r] = a[src + r * aRs + p * aCs];
                    }
                }
            }
            for (int r = rows; r < mrows; r++) {
                for (int p = 0; p < kc; p++) {
                    ap[base + p * mrows + r] = 0f;
                }
            }
        }
    }

    /**
     * Packs column panels {@code [p0, p1)} of the block {@code op(B)[pc:pc+kc, jc:jc+nc]} into
     * {@code bp}: panel {@code q} holds, for each depth {@code p}, its {@code NR} entries at
     * {@code bp[q·NR·kc + p·NR + j]}; columns past {@code nc} are zero.
     */
    private static void packB(float[] b, int bOff, int bRs, int bCs, int pc, int kc, int jc, int nc,
                              int p0, int p1, float[] bp) {
        if (bCs == 1) {
            // Row-major B: walk each row once, left to right, dealing its segments to the panels.
            // NOTE: walking panel by panel instead (p inner) touches a new row, often a new page,
            // per 32 floats; with power-of-two row lengths (H·W in the convolutions) that ran 4×
            // slower overall.
            for (int p = 0; p < kc; p++) {
                int src = bOff + (pc + p) * bRs + jc;
                for (int q = p0; q < p1; q++) {
                    int cols = Math.min(NR, nc - q * NR);
                    int dst = q * NR * kc + p * NR;
                    System.arraycopy(b, src + q * NR, bp, dst, cols);
                    if (cols < NR) {
                        Arrays.fill(bp, dst + cols, dst + NR, 0f);
                    }
                }
            }
            return;
        }
        for (int q = p0; q < p1; q++) {
            int base = q * NR * kc;
            int j0 = jc + q * NR;
            int cols = Math.min(NR, jc + nc - j0);
            int src = bOff + pc * bRs + j0 * bCs;
            // Transposed B (bRs = 1): read each column contiguously along p (see the NOTE in packA).
            for (int j = 0; j < cols; j++) {
                for (int p = 0; p < kc; p++) {
                    bp[base + p * NR + j] = b[src + j * bCs + p];
                }
            }
            if (cols < NR) {
                for (int p = 0; p < kc; p++) {
                    Arrays.fill(bp, base + p * NR + cols, base + (p + 1) * NR, 0f);
                }
            }
        }
    }

    /**
     * Loads both ends of each of the {@code rows} rows of the C tile at {@code c[next]} (row stride
     * {@code ldc}), so that the next micro-kernel finds them in cache: these loads run while this
     * tile's multiply-adds do, instead of stalling the next tile's final loads of C (the role of
     * BLIS's prefetch of C; Java has no prefetch instruction). The sum, stored in the last entry
     * of the thread's own {@code sink}, only keeps the loads alive. Measured on one Zen 3 core at
     * n = 1024: 57 against 54 GFLOP/s with the 6×16 tile and kc = 256, 66 against 60 with kc = 512.
     */
    private static void touch(float[] c, int next, int ldc, int rows, float[] sink) {
        float sum = 0f;
        for (int r = 0; r < rows; r++) {
            sum += c[next + r * ldc] + c[next + r * ldc + NR - 1];
        }
        sink[sink.length - 1] = sum;
    }

    /**
     * {@code C[0:8, 0:NR] += Ap·Bp} for one packed A micro-panel (at {@code ai}) and one packed B
     * micro-panel (at {@code bi}), each {@code kc} deep; {@code C} starts at {@code c[ci]} with
     * row stride {@code ldc}. The accumulators are written out explicitly (and no helper method
     * taking vectors: an out-of-line call boxes them) so that they stay in registers.
     */
    private static void microKernel8(int kc, float[] ap, int a0, float[] bp, int b0, float[] c, int ci, int ldc,
                                     int next, float[] sink) {
        FloatVector c00 = FloatVector.zero(S);
        FloatVector c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S);
        FloatVector c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S);
        FloatVector c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S);
        FloatVector c31 = FloatVector.zero(S);
        FloatVector c40 = FloatVector.zero(S);
        FloatVector c41 = FloatVector.zero(S);
        FloatVector c50 = FloatVector.zero(S);
        FloatVector c51 = FloatVector.zero(S);
        FloatVector c60 = FloatVector.zero(S);
        FloatVector c61 = FloatVector.zero(S);
        FloatVector c70 = FloatVector.zero(S);
        FloatVector c71 = FloatVector.zero(S);
        touch(c, next, ldc, 8, sink);
        for (int p = 0; p < kc; p++) {
            // Index = base + p·stride of the counted loop variable, so that C2 can check the
            // ranges once before the loop rather than at every load.
            int ai = a0 + p * 8;
            int bi = b0 + p * NR;
            FloatVector v0 = FloatVector.fromArray(S, bp, bi);
            FloatVector v1 = FloatVector.fromArray(S, bp, bi + L);
            FloatVector av = FloatVector.broadcast(S, ap[ai]);
            c00 = av.fma(v0, c00);
            c01 = av.fma(v1, c01);
            av = FloatVector.broadcast(S, ap[ai + 1]);
            c10 = av.fma(v0, c10);
            c11 = av.fma(v1, c11);
            av = FloatVector.broadcast(S, ap[ai + 2]);
            c20 = av.fma(v0, c20);
            c21 = av.fma(v1, c21);
            av = FloatVector.broadcast(S, ap[ai + 3]);
            c30 = av.fma(v0, c30);
            c31 = av.fma(v1, c31);
            av = FloatVector.broadcast(S, ap[ai + 4]);
            c40 = av.fma(v0, c40);
            c41 = av.fma(v1, c41);
            av = FloatVector.broadcast(S, ap[ai + 5]);
            c50 = av.fma(v0, c50);
            c51 = av.fma(v1, c51);
            av = FloatVector.broadcast(S, ap[ai + 6]);
            c60 = av.fma(v0, c60);
            c61 = av.fma(v1, c61);
            av = FloatVector.broadcast(S, ap[ai + 7]);
            c70 = av.fma(v0, c70);
            c71 = av.fma(v1, c71);
        }
        FloatVector.fromArray(S, c, ci).add(c00).intoArray(c, ci);
        FloatVector.fromArray(S, c, ci + L).add(c01).intoArray(c, ci + L);
        ci += ldc;
        FloatVector.fromArray(S, c, ci).add(c10).intoArray(c, ci);
        FloatVector.fromArray(S, c, ci + L).add(c11).intoArray(c, ci + L);
        ci += ldc;
        FloatVector.fromArray(S, c, ci).add(c20).intoArray(c, ci);
        FloatVector.fromArray(S, c, ci + L).add(c21).intoArray(c, ci + L);
        ci += ldc;
        FloatVector.fromArray(S, c, ci).add(c30).intoArray(c, ci);
        FloatVector.fromArray(S, c, ci + L).add(c31).intoArray(c, ci + L);
        ci += ldc;
        FloatVector.fromArray(S, c, ci).add(c40).intoArray(c, ci);
        FloatVector.fromArray(S, c, ci + L).add(c41).intoArray(c, ci + L);
        ci += ldc;
        FloatVector.fromArray(S, c, ci).add(c50).intoArray(c, ci);
        FloatVector.fromArray(S, c, ci + L).add(c51).intoArray(c, ci + L);
        ci += ldc;
        FloatVector.fromArray(S, c, ci).add(c60).intoArray(c, ci);
        FloatVector.fromArray(S, c, ci + L).add(c61).intoArray(c, ci + L);
        ci += ldc;
        FloatVector.fromArray(S, c, ci).add(c70).intoArray(c, ci);
        FloatVector.fromArray(S, c, ci + L).add(c71).intoArray(c, ci + L);
    }

    /** The 6-row micro-kernel: {@code C[0:6, 0:NR] += Ap·Bp}; see {@link #microKernel8}. */
    private static void microKernel6(int kc, float[] ap, int a0, float[] bp, int b0, float[] c, int ci, int ldc,
                                     int next, float[] sink) {
        FloatVector c00 = FloatVector.zero(S);
        FloatVector c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S);
        FloatVector c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S);
        FloatVector c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S);
        FloatVector c31 = FloatVector.zero(S);
        FloatVector c40 = FloatVector.zero(S);
        FloatVector c41 = FloatVector.zero(S);
        FloatVector c50 = FloatVector.zero(S);
        FloatVector c51 = FloatVector.zero(S);
        touch(c, next, ldc, 6, sink);
        // The index into packed A is the loop variable itself. With p counting and ai = a0 + 6p,
        // C2 rewrites 6p as (p << 2) + (p << 1), no longer sees a scaled loop variable, and so
        // checks A's range at every step and redoes the shifts: about ten scalar instructions
        // per step beside the twelve FMAs. Stepping ai by 6 lets it check A once before the
        // loop; B's two checks stay in the loop, at two compares each step. Measured on one
        // Zen 3 core (kc = 256, mc = 252, nc = 1024, in-process, alternating): 89–90 against
        // 80–81 GFLOP/s (docs/bench/README.md).
        final int end = a0 + 6 * kc;
        int bi = b0;
        for (int ai = a0; ai < end; ai += 6) {
            FloatVector v0 = FloatVector.fromArray(S, bp, bi);
            FloatVector v1 = FloatVector.fromArray(S, bp, bi + L);
            bi += NR;
            FloatVector av = FloatVector.broadcast(S, ap[ai]);
            c00 = av.fma(v0, c00);
            c01 = av.fma(v1, c01);
            av = FloatVector.broadcast(S, ap[ai + 1]);
            c10 = av.fma(v0, c10);
            c11 = av.fma(v1, c11);
            av = FloatVector.broadcast(S, ap[ai + 2]);
            c20 = av.fma(v0, c20);
            c21 = av.fma(v1, c21);
            av = FloatVector.broadcast(S, ap[ai + 3]);
            c30 = av.fma(v0, c30);
            c31 = av.fma(v1, c31);
            av = FloatVector.broadcast(S, ap[ai + 4]);
            c40 = av.fma(v0, c40);
            c41 = av.fma(v1, c41);
            av = FloatVector.broadcast(S, ap[ai + 5]);
            c50 = av.fma(v0, c50);
            c51 = av.fma(v1, c51);
        }
        FloatVector.fromArray(S, c, ci).add(c00).intoArray(c, ci);
        FloatVector.fromArray(S, c, ci + L).add(c01).intoArray(c, ci + L);
        ci += ldc;
        FloatVector.fromArray(S, c, ci).add(c10).intoArray(c, ci);
        FloatVector.fromArray(S, c, ci + L).add(c11).intoArray(c, ci + L);
        ci += ldc;
        FloatVector.fromArray(S, c, ci).add(c20).intoArray(c, ci);
        FloatVector.fromArray(S, c, ci + L).add(c21).intoArray(c, ci + L);
        ci += ldc;
        FloatVector.fromArray(S, c, ci).add(c30).intoArray(c, ci);
        FloatVector.fromArray(S, c, ci + L).add(c31).intoArray(c, ci + L);
        ci += ldc;
        FloatVector.fromArray(S, c, ci).add(c40).intoArray(c, ci);
        FloatVector.fromArray(S, c, ci + L).add(c41).intoArray(c, ci + L);
        ci += ldc;
        FloatVector.fromArray(S, c, ci).add(c50).intoArray(c, ci);
        FloatVector.fromArray(S, c, ci + L).add(c51).intoArray(c, ci + L);
    }
}
