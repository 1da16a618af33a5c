package ntklc.tensor;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.Properties;

/**
 * Block and register-tile sizes of the packed GEMM ({@link VectorGemm}), chosen for the CPU it runs
 * on rather than fixed for one machine.
 *
 * <p>Loop structure and names follow BLIS (Van Zee &amp; van de Geijn, TOMS 41(3), 2015; Low et al.,
 * "Analytical modeling is enough for high-performance BLIS", TOMS 43(2), 2016, §4):
 * an {@code mr × nr} tile of C lives in vector registers, one packed {@code kc × nr} micro-panel of
 * B stays in L1 while the {@code mc × kc} block of A streams from L2, and the {@code kc × nc}
 * block of B stays in the core's share of L3. From the cache sizes of {@link CpuCaches}, with
 * {@code s = 4} bytes per float and {@code nr = 2·lanes}:
 * <pre>
 *   mr = 6 with 16 vector registers (AVX2: 12 accumulators + 2 loads of B + 1 broadcast of A),
 *        8 with 32 (AVX-512)
 *   kc = L1d / (nr·s)            the B micro-panel fills L1 (A and C stream past it)
 *   mc = L2  / (2·kc·s)          rounded down to a multiple of mr
 *   nc = L3 per core / (2·kc·s)  rounded down to a multiple of nr, at most 4096
 * </pre>
 * NOTE: BLIS's rule gives B half of L1 ({@code kc = 256} on a 32 KiB L1 with 16-float panels);
 * with the C tile touched ahead (see {@code VectorGemm}) the full L1 ({@code kc = 512}) ran 16 %
 * faster on one Zen 3 core at n = 1024 (66 against 57 GFLOP/s): a deeper block halves the passes
 * over C, and the 16-float rows of A per step stay in L1 anyway. Values are
 * clamped to {@code 64 ≤ kc ≤ 512}, {@code 2·mr ≤ mc ≤ 64·mr} and {@code 4·nr ≤ nc}; without an L3
 * the core's share is taken as {@code 4·L2}. {@code bench --retune} replaces these by a short timing of the
 * candidates around them ({@link MatMul#retune}), stored per CPU model and vector width in
 * {@link #cacheFile} and read back at the next start; delete the file (or retune) to redo it.
 *
 * @param mr     rows of the register tile (6 or 8: the two micro-kernels of {@link VectorGemm})
 * @param kc     depth of a packed block
 * @param mc     rows of a packed block of A (a multiple of {@code mr})
 * @param nc     columns of a packed block of B (a multiple of {@code nr})
 * @param source where the sizes come from: {@code sysfs}, {@code defaults} or {@code autotune}
 */
public record GemmTiles(int mr, int kc, int mc, int nc, String source) {
    /** The register-tile heights {@link VectorGemm} has a micro-kernel for. */
    static final int[] MICRO_KERNEL_ROWS = {6, 8};

    /** Tiles from the cache sizes alone (no stored tuning); {@code lanes} floats per vector. */
    public static GemmTiles fromCaches(CpuCaches caches, int lanes) {
        int nr = 2 * lanes;
        int mr = lanes >= 16 ? 8 : 6;
        int kc = clamp(roundDown(caches.l1d() / (nr * Float.BYTES), 8), 64, 512);
        return withDepth(mr, kc, nr, caches, caches.fromSysfs() ? "sysfs" : "defaults");
    }

    /** {@code mc} and {@code nc} for a given {@code mr} and {@code kc}, by the rules of the class comment. */
    static GemmTiles withDepth(int mr, int kc, int nr, CpuCaches caches, String source) {
        int mc = clamp(roundDown(caches.l2() / (2 * kc * Float.BYTES), mr), 2 * mr, 64 * mr);
        int l3 = caches.l3PerCore() > 0 ? caches.l3PerCore() : 4 * caches.l2();
        int nc = clamp(roundDown(l3 / (2 * kc * Float.BYTES), nr), 4 * nr, roundDown(4096, nr));
        return new GemmTiles(mr, kc, mc, nc, source);
    }

    /** The stored tuning for this CPU model and vector width if there is one, else {@link #fromCaches}. */
    static GemmTiles load(CpuCaches caches, int lanes) {
        GemmTiles fallback = fromCaches(caches, lanes);
        Path file = cacheFile(caches, lanes);
        if (file == null || !Files.isRegularFile(file)) {
            return fallback;
        }
        try {
            Properties p = new Properties();
            p.load(new StringReader(Files.readString(file, StandardCharsets.UTF_8)));
            int mr = Integer.parseInt(p.getProperty("mr"));
            int kc = Integer.parseInt(p.getProperty("kc"));
            int mc = Integer.parseInt(p.getProperty("mc"));
            int nc = Integer.parseInt(p.getProperty("nc"));
            int nr = 2 * lanes;
            boolean known = mr == MICRO_KERNEL_ROWS[0] || mr == MICRO_KERNEL_ROWS[1];
            if (!known || kc < 8 || kc > 4096 || mc < mr || mc % mr != 0 || nc < nr || nc % nr != 0) {
                return fallback;
            }
            return new GemmTiles(mr, kc, mc, nc, "autotune");
        } catch (IOException | RuntimeException e) {
            return fallback;
        }
    }

    /** Stores these tiles as the tuning of this CPU model and vector width (atomically: temp file, then move). */
    void save(CpuCaches caches, int lanes) throws IOException {
        Path file = cacheFile(caches, lanes);
        if (file == null) {
            throw new IOException("no user cache directory (neither XDG_CACHE_HOME nor user.home is set)");
        }
        Files.createDirectories(file.getParent());
        String text = String.format(Locale.ROOT, "# GEMM tiles tuned by bench --retune for %s, %d-float vectors%n"
                + "mr=%d%nkc=%d%nmc=%d%nnc=%d%n", caches.model(), lanes, mr, kc, mc, nc);
        Path tmp = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * {@code $XDG_CACHE_HOME/ntk-lc/gemm-<model>-<lanes>.properties}, or {@code ~/.cache/ntk-lc/…};
     * {@code null} if neither is known. The system property {@code ntklc.cacheDir} overrides the folder.
     */
    static Path cacheFile(CpuCaches caches, int lanes) {
        Path dir;
        String override = System.getProperty("ntklc.cacheDir");
        String xdg = System.getenv("XDG_CACHE_HOME");
        String home = System.getProperty("user.home");
        if (override != null && !override.isBlank()) {
            dir = Path.of(override);
        } else if (xdg != null && !xdg.isBlank()) {
            dir = Path.of(xdg, "ntk-lc");
        } else if (home != null && !home.isBlank()) {
            dir = Path.of(home, ".cache", "ntk-lc");
        } else {
            return null;
        }
        String slug = caches.model().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", "");
        return dir.resolve("gemm-" + (slug.isEmpty() ? "cpu" : slug) + "-" + lanes + ".properties");
    }

    /** {@code mr×nr register tile, kc/mc/nc blocks (source)} for logs and {@code bench}. */
    public String describe(int lanes) {
        return String.format(Locale.ROOT, "%d×%d register tile, kc=%d mc=%d nc=%d (%s)", mr, 2 * lanes, kc, mc, nc, source);
    }

    private static int roundDown(int x, int multiple) {
        return x / multiple * multiple;
    }

    private static int clamp(int x, int lo, int hi) {
        return Math.max(lo, Math.min(hi, x));
    }
}
