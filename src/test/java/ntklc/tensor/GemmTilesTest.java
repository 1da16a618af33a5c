package ntklc.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CPU-adaptive tiles: sysfs parsing on a made-up cache folder, the sizing rules of
 * {@link GemmTiles} (expected values worked out by hand from the formulas in its class comment),
 * and the stored tuning's round trip.
 */
class GemmTilesTest {
    @Test
    void readsCachesFromSysfsLayout(@TempDir Path dir) throws IOException {
        Path cpuinfo = dir.resolve("cpuinfo");
        Files.writeString(cpuinfo, "processor\t: 0\nmodel name\t: Test  CPU 9000\n");
        Path cache = dir.resolve("cache");
        writeIndex(cache, 0, "1", "Data", "48K", "0");
        writeIndex(cache, 1, "1", "Instruction", "32K", "0");
        writeIndex(cache, 2, "2", "Unified", "1280K", "0");
        writeIndex(cache, 3, "3", "Unified", "48M", "0-7,16-23");
        CpuCaches c = CpuCaches.detect(cpuinfo, cache);
        assertEquals("Test CPU 9000", c.model());
        assertEquals(48 << 10, c.l1d());
        assertEquals(1280 << 10, c.l2());
        assertEquals((48 << 20) / 16, c.l3PerCore(), "L3 divided by the 16 CPUs sharing it");
        assertTrue(c.fromSysfs());
    }

    @Test
    void missingSysfsFallsBack(@TempDir Path dir) {
        CpuCaches c = CpuCaches.detect(dir.resolve("none"), dir.resolve("none"));
        assertFalse(c.fromSysfs());
        assertEquals(CpuCaches.FALLBACK.l1d(), c.l1d());
    }

    @Test
    void tilesFollowTheCacheRules() {
        // AVX2 (8 lanes, nr = 16), 32 KiB L1d, 512 KiB L2, 16 MiB L3 per core:
        // kc = 32768/(16·4) = 512; mc = 524288/(2·512·4) = 128 → 126 (multiple of mr = 6);
        // nc = 16777216/(2·512·4) = 4096 (the cap).
        GemmTiles t = GemmTiles.fromCaches(new CpuCaches("x", 32 << 10, 512 << 10, 16 << 20, true), 8);
        assertEquals(new GemmTiles(6, 512, 126, 4096, "sysfs"), t);
        // AVX-512 (16 lanes, nr = 32), 48 KiB L1d, 1.25 MiB L2, 1.5 MiB L3 per core:
        // kc = 49152/(32·4) = 384; mc = 1310720/(2·384·4) = 426 → 424 (multiple of mr = 8);
        // nc = 1572864/(2·384·4) = 512 (a multiple of 32).
        GemmTiles u = GemmTiles.fromCaches(new CpuCaches("y", 48 << 10, 1280 << 10, 3 << 19, true), 16);
        assertEquals(new GemmTiles(8, 384, 424, 512, "sysfs"), u);
    }

    @Test
    void storedTuningRoundTrips(@TempDir Path dir) throws IOException {
        String previous = System.getProperty("ntklc.cacheDir");
        System.setProperty("ntklc.cacheDir", dir.toString());
        try {
            CpuCaches caches = new CpuCaches("Some CPU @ 3GHz", 32 << 10, 512 << 10, 16 << 20, true);
            assertEquals("sysfs", GemmTiles.load(caches, 8).source(), "nothing stored yet");
            new GemmTiles(8, 128, 96, 1024, "autotune").save(caches, 8);
            assertTrue(GemmTiles.cacheFile(caches, 8).getFileName().toString().startsWith("gemm-some-cpu-3ghz-8"));
            assertEquals(new GemmTiles(8, 128, 96, 1024, "autotune"), GemmTiles.load(caches, 8));
            // Another vector width does not see this tuning.
            assertEquals("sysfs", GemmTiles.load(caches, 16).source());
        } finally {
            if (previous == null) {
                System.clearProperty("ntklc.cacheDir");
            } else {
                System.setProperty("ntklc.cacheDir", previous);
            }
        }
    }

    private static void writeIndex(Path cache, int index, String level, String type, String size, String shared)
            throws IOException {
        Path d = cache.resolve("index" + index);
        Files.createDirectories(d);
        Files.writeString(d.resolve("level"), level + "\n");
        Files.writeString(d.resolve("type"), type + "\n");
        Files.writeString(d.resolve("size"), size + "\n");
        Files.writeString(d.resolve("shared_cpu_list"), shared + "\n");
    }
}
