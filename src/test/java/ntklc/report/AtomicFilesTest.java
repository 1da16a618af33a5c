package ntklc.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ntklc.cli.OptionSpec;
import ntklc.cli.ParsedOptions;
import ntklc.cli.Resume;
import ntklc.cli.UserError;

/**
 * The write and resume mechanism of {@code ntklc.report}: {@link AtomicFiles} (stray temporaries
 * of a killed run removed, a failed write leaving the old file), {@link FinishedRows} (rows reloaded
 * byte for byte, keys) and {@link Resume} (recorded options, the typed-option check). Expected
 * values are the inputs themselves: what was written must be read back unchanged.
 */
class AtomicFilesTest {
    @TempDir
    Path dir;

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private List<String> names() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void writeReplacesTheFileAndLeavesNoTemporary() throws IOException {
        Path f = dir.resolve("a.csv");
        AtomicFiles.write(f, out -> out.write(utf8("one\n")));
        AtomicFiles.write(f, out -> out.write(utf8("two\n")));
        assertEquals("two\n", Files.readString(f));
        assertEquals(List.of("a.csv"), names());
    }

    @Test
    void writtenFilesGetTheOrdinaryPermissions() throws IOException {
        Assumptions.assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"));
        Path plain = Files.createFile(dir.resolve("plain"));
        Path written = AtomicFiles.write(dir.resolve("a.csv"), out -> out.write(utf8("x\n")));
        // the umask's permissions, as any new file; not createTempFile's owner-only 0600
        assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(written));
    }

    @Test
    void strayTemporariesOfAKilledRunAreRemovedByTheNextWrite() throws IOException {
        // What a run killed between creating its temporary and renaming it leaves behind.
        Files.writeString(dir.resolve(".results.csv1234567.tmp"), "half a ta");
        Files.writeString(dir.resolve(".checkpoint.bin99.tmp"), "");
        Files.writeString(dir.resolve("notes.tmp"), "a user's file, not ours"); // no leading dot: kept
        AtomicFiles.write(dir.resolve("summary.csv"), out -> out.write(utf8("x\n")));
        assertEquals(List.of("notes.tmp", "summary.csv"), names());
    }

    @Test
    void strayTemporariesAreRemovedWhenAFolderIsReopenedForResume() throws IOException {
        Files.writeString(dir.resolve(".metrics.csv42.tmp"), "torn");
        RunFolder.existing(dir).removeStrayTemporaries();
        assertEquals(List.of(), names());
    }

    @Test
    void aFailingWriterLeavesThePreviousFileAndNoTemporary() throws IOException {
        Path f = dir.resolve("a.csv");
        AtomicFiles.write(f, out -> out.write(utf8("complete\n")));
        assertThrows(UncheckedIOException.class, () -> AtomicFiles.write(f, out -> {
            out.write(utf8("partial"));
            throw new IOException("disk full");
        }));
        assertEquals("complete\n", Files.readString(f));
        assertEquals(List.of("a.csv"), names());
    }

    @Test
    void finishedRowsAreReloadedAndRewrittenByteForByte() throws IOException {
        RunFolder run = RunFolder.existing(dir);
        List<String> columns = List.of("method", "epsilon", "accuracy");
        FinishedRows rows = FinishedRows.open(run, "r.csv", columns, List.of("method", "epsilon"));
        rows.add("ntk-lc", 0.5, 0.1 + 0.2); // 0.30000000000000004: full precision must survive
        rows.add("original", "", 1.0 / 3);
        byte[] first = Files.readAllBytes(dir.resolve("r.csv"));

        FinishedRows again = FinishedRows.open(run, "r.csv", columns, List.of("method", "epsilon"));
        assertEquals(2, again.size());
        assertTrue(again.isFinished(FinishedRows.key("ntk-lc", 0.5)));
        assertTrue(again.isFinished(FinishedRows.key("original", "")));
        assertFalse(again.isFinished(FinishedRows.key("ntk-lc", 0.9)));
        assertEquals(0.1 + 0.2, again.table().doubles("accuracy")[0]);
        again.add("ntk-lc", 0.9, 0.25);
        byte[] second = Files.readAllBytes(dir.resolve("r.csv"));
        assertEquals(new String(first, StandardCharsets.UTF_8) + "ntk-lc,0.9,0.25\n",
                new String(second, StandardCharsets.UTF_8));
        assertThrows(IllegalStateException.class, () -> again.add("ntk-lc", 0.9, 0.5));
        assertThrows(RunFolderException.class, () -> FinishedRows.open(run, "r.csv", List.of("method", "accuracy"),
                List.of("method")), "a file of other columns is refused");
    }

    @Test
    void resumeReloadsTheRecordedOptionsAndRefusesChangedOnes() {
        OptionSpec spec = Resume.addOption(new OptionSpec().add("seed", "1", "seed").add("n", "10", "samples")
                .add("device", "auto", "device").add("out", "", "folder"), "rows", Set.of("device"));
        ParsedOptions first = spec.parse("demo", new String[] {"--seed=7", "--out=" + dir});
        RunFolder run = Resume.folder(first, first);
        assertEquals(dir, run.dir());
        assertEquals("7", run.recordedOptions().get("seed"));

        ParsedOptions resumed = Resume.options(spec, spec.parse("demo",
                new String[] {"--resume=" + dir, "--device=cpu", "--n=10"}), Set.of("device"));
        assertEquals(Map.of("seed", "7", "n", "10", "device", "cpu", "out", dir.toString(), "resume", dir.toString()),
                resumed.effective());
        UserError e = assertThrows(UserError.class, () -> Resume.options(spec, spec.parse("demo",
                new String[] {"--resume=" + dir, "--n=11"}), Set.of("device")));
        assertTrue(e.getMessage().startsWith("demo: --n=11 differs from the value recorded"), e.getMessage());
        assertThrows(UserError.class, () -> Resume.options(spec, spec.parse("demo",
                new String[] {"--resume=" + dir.resolve("absent")}), Set.of("device")));
        // another command's folder: its recorded options (seed, n, device) are unknown to "other"
        OptionSpec other = Resume.addOption(new OptionSpec().add("k", "2", "clusters").add("out", "", "folder"),
                "rows", Set.of());
        UserError foreign = assertThrows(UserError.class, () -> Resume.options(other,
                other.parse("other", new String[] {"--resume=" + dir}), Set.of()));
        assertTrue(foreign.getMessage().contains("is not a other run folder"), foreign.getMessage());
    }
}
