package ntklc.tensor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The CPU this JVM runs on, as the operating system reports it: the model name and the data
 * caches one core sees, which set the block sizes of the GEMM kernels ({@link GemmTiles}).
 *
 * <p>Sources (Linux): {@code /proc/cpuinfo} ({@code model name}) and
 * {@code /sys/devices/system/cpu/cpu0/cache/index*} ({@code level}, {@code type}, {@code size},
 * {@code shared_cpu_list}). Where they are missing (another OS, a container without sysfs) the
 * sizes fall back to {@link #FALLBACK}, small enough for any x86 core of the last decade, and
 * {@link #fromSysfs()} says so.
 *
 * @param model       the CPU model name, e.g. {@code AMD EPYC}
 * @param l1d         level-1 data cache of one core, bytes
 * @param l2          level-2 cache of one core, bytes
 * @param l3PerCore   level-3 cache divided by the cores sharing it, bytes (0: none)
 * @param fromSysfs   whether the sizes were read from sysfs (false: {@link #FALLBACK})
 */
public record CpuCaches(String model, int l1d, int l2, int l3PerCore, boolean fromSysfs) {
    /** Sizes used when the OS reports none: 32 KiB L1d, 256 KiB L2, 1 MiB L3 per core. */
    public static final CpuCaches FALLBACK = new CpuCaches("unknown", 32 << 10, 256 << 10, 1 << 20, false);

    private static final CpuCaches DETECTED = detect(Path.of("/proc/cpuinfo"), Path.of("/sys/devices/system/cpu/cpu0/cache"));

    /** The caches of this machine, read once. */
    public static CpuCaches current() {
        return DETECTED;
    }

    /** One line for logs: {@code AMD EPYC (L1d 32 KiB, L2 512 KiB, L3 16384 KiB/core, sysfs)}. */
    public String describe() {
        return String.format(Locale.ROOT, "%s (L1d %d KiB, L2 %d KiB, L3 %d KiB/core, %s)", model, l1d >> 10, l2 >> 10,
                l3PerCore >> 10, fromSysfs ? "sysfs" : "defaults");
    }

    /** Reads the model from {@code cpuinfo} and the caches from the sysfs cache folder {@code cacheDir}. */
    static CpuCaches detect(Path cpuinfo, Path cacheDir) {
        String model = modelName(cpuinfo);
        int l1d = 0;
        int l2 = 0;
        int l3 = 0;
        for (int index = 0; index < 8; index++) {
            Path dir = cacheDir.resolve("index" + index);
            String level = read(dir.resolve("level"));
            String type = read(dir.resolve("type"));
            long size = parseSize(read(dir.resolve("size")));
            if (level == null || type == null || size <= 0 || type.equals("Instruction")) {
                continue;
            }
            int sharing = Math.max(1, countCpus(read(dir.resolve("shared_cpu_list"))));
            switch (level) {
                case "1" -> l1d = (int) size;
                case "2" -> l2 = (int) size;
                case "3" -> l3 = (int) Math.min(Integer.MAX_VALUE, size / sharing);
                default -> { }
            }
        }
        if (l1d == 0 || l2 == 0) {
            return new CpuCaches(model, FALLBACK.l1d, FALLBACK.l2, FALLBACK.l3PerCore, false);
        }
        return new CpuCaches(model, l1d, l2, l3, true);
    }

    private static String modelName(Path cpuinfo) {
        String text = read(cpuinfo);
        if (text != null) {
            for (String line : text.split("\n")) {
                if (line.startsWith("model name")) {
                    int colon = line.indexOf(':');
                    if (colon >= 0) {
                        return line.substring(colon + 1).trim().replaceAll("\\s+", " ");
                    }
                }
            }
        }
        return System.getProperty("os.arch", "unknown");
    }

    /** {@code "32K"} → 32768, {@code "1M"} → 1048576, {@code "512"} → 512; −1 when unreadable. */
    static long parseSize(String s) {
        if (s == null || s.isEmpty()) {
            return -1;
        }
        long unit = 1;
        char last = Character.toUpperCase(s.charAt(s.length() - 1));
        if (last == 'K' || last == 'M' || last == 'G') {
            unit = last == 'K' ? 1L << 10 : last == 'M' ? 1L << 20 : 1L << 30;
            s = s.substring(0, s.length() - 1);
        }
        try {
            return Long.parseLong(s.trim()) * unit;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Number of CPUs in a list such as {@code 0-3,8,10-11}; 0 when unreadable. */
    static int countCpus(String list) {
        if (list == null || list.isBlank()) {
            return 0;
        }
        int count = 0;
        try {
            for (String part : list.trim().split(",")) {
                int dash = part.indexOf('-');
                count += dash < 0 ? 1 : Integer.parseInt(part.substring(dash + 1)) - Integer.parseInt(part.substring(0, dash)) + 1;
            }
        } catch (NumberFormatException e) {
            return 0;
        }
        return count;
    }

    private static String read(Path p) {
        try {
            return Files.readString(p, StandardCharsets.UTF_8).trim();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
