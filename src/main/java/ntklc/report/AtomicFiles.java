package ntklc.report;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The one way the project writes a file: durable and atomic, so that a run killed at any instant
 * (SIGKILL, power loss) leaves under the final name either the previous complete file or the new
 * complete file, never a torn one.
 *
 * <p>The sequence, for a target {@code DIR/NAME}:
 * <ol>
 *   <li>remove stray temporaries {@code DIR/.*.tmp} that a killed earlier run left behind
 *       ({@link #removeStrayTemporaries});</li>
 *   <li>write the content to a new temporary {@code DIR/.NAME<random>.tmp} in the same folder (the
 *       rename below must not cross file systems);</li>
 *   <li>{@link FileChannel#force(boolean) force(true)} the temporary: its bytes and metadata reach
 *       the disk before it gets the final name, otherwise a crash after the rename could expose a
 *       file of the right name and length full of zeros;</li>
 *   <li>rename it over the target atomically ({@code rename(2)}; a plain replace where the file
 *       system has no atomic move);</li>
 *   <li>force the folder itself, so that the rename (a change of the directory) is durable too.
 *       Some file systems and platforms refuse to open or sync a directory; that is tolerated, as
 *       the rename is then as durable as the platform allows.</li>
 * </ol>
 *
 * <p>Temporaries this JVM is still writing are never treated as strays, so two threads writing
 * into the same folder do not remove each other's files.
 *
 * <p>NOTE: a temporary of ANOTHER process writing into the same folder would be taken for a stray;
 * a run folder belongs to one process at a time (a second run resuming a folder while the first
 * still writes to it is not supported).
 */
public final class AtomicFiles {
    /** Temporaries being written by this JVM (absolute paths). */
    private static final Set<Path> LIVE = ConcurrentHashMap.newKeySet();

    private AtomicFiles() {
    }

    /** Body that writes a file's content; it must not close {@code out} (closing is harmless). */
    @FunctionalInterface
    public interface Writer {
        void write(OutputStream out) throws IOException;
    }

    /**
     * Writes {@code target} durably and atomically (see the class comment), creating its folder if
     * needed.
     *
     * @return {@code target}
     * @throws UncheckedIOException naming the target when any step fails; the target is then untouched
     */
    public static Path write(Path target, Writer writer) {
        Path parent = target.toAbsolutePath().getParent();
        Path tmp = null;
        try {
            Files.createDirectories(parent);
            removeStrayTemporaries(parent);
            tmp = newTemporary(parent, target.getFileName().toString());
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16);
                writer.write(new UnclosableStream(out));
                out.flush();
                channel.force(true);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            forceDirectory(parent);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
        } finally {
            if (tmp != null) {
                LIVE.remove(tmp);
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the next write into this folder removes it as a stray
                }
            }
        }
    }

    /**
     * Creates {@code dir/.NAME<random>.tmp}, registered as live. Not {@link Files#createTempFile},
     * which gives the file mode 0600: the renamed result would then be unreadable to the other users
     * of a shared machine, whereas a new file gets the ordinary permissions (umask).
     */
    private static Path newTemporary(Path dir, String name) throws IOException {
        while (true) {
            Path tmp = dir.resolve("." + name + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36) + ".tmp");
            LIVE.add(tmp);
            try {
                return Files.createFile(tmp);
            } catch (FileAlreadyExistsException e) {
                LIVE.remove(tmp);
            } catch (IOException e) {
                LIVE.remove(tmp);
                throw e;
            }
        }
    }

    /**
     * Deletes the temporaries {@code .NAME….tmp} in {@code dir} that no write of this JVM is using:
     * what a run killed between steps 2 and 4 left behind. Called by every {@link #write} and when
     * a run folder is reopened for {@code --resume}.
     *
     * @return how many were removed
     */
    public static int removeStrayTemporaries(Path dir) throws IOException {
        int removed = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, ".*.tmp")) {
            for (Path f : files) {
                if (!LIVE.contains(f.toAbsolutePath()) && Files.isRegularFile(f) && Files.deleteIfExists(f)) {
                    removed++;
                }
            }
        }
        return removed;
    }

    /**
     * Forces a folder's entries (renames, creations) to disk. Linux allows opening a directory for
     * reading and {@code fsync}ing it; where the platform refuses (an {@link IOException}, or an
     * {@link UnsupportedOperationException} from the file-system provider), this does nothing.
     */
    public static void forceDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // NOTE: e.g. Windows cannot open a directory as a file; some network file systems
            // refuse fsync on directories. The rename itself has happened.
        }
    }

    /** Keeps a writer from closing the channel before it is forced. */
    private static final class UnclosableStream extends java.io.FilterOutputStream {
        UnclosableStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
