package ntklc.experiments;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import ntklc.cli.UserError;

/**
 * The state of a resumable Monte-Carlo kernel: the running sum {@code Σ_{r<R} K⁽ʳ⁾} of the
 * per-draw kernels (n×n, double, row-major) and the number R of draws summed. {@code spectrum}
 * writes it atomically after every block of draws; a resumed run reloads it and continues with
 * draw R, whose generator is the (R+1)-th split of the same root, so the final average equals an
 * uninterrupted run's bit for bit (the sum is accumulated in the same order either way).
 *
 * <p>File format, version 1, big-endian ({@link DataOutputStream}): the magic {@code "NTKMC"},
 * the version (int), n (int), R (int), then n² doubles.
 *
 * @param n     number of samples
 * @param draws R, the draws summed
 * @param sum   the n×n running sum (shared, not copied)
 */
record MonteCarloSums(int n, int draws, double[] sum) {
    private static final String MAGIC = "NTKMC";
    private static final int VERSION = 1;

    /** No draw yet: a zero n×n sum. */
    static MonteCarloSums empty(int n) {
        return new MonteCarloSums(n, 0, new double[Math.multiplyExact(n, n)]);
    }

    /** The same sum after {@code more} further draws were added into it. */
    MonteCarloSums after(int more) {
        return new MonteCarloSums(n, draws + more, sum);
    }

    void write(OutputStream out) throws IOException {
        DataOutputStream d = new DataOutputStream(out);
        d.writeUTF(MAGIC);
        d.writeInt(VERSION);
        d.writeInt(n);
        d.writeInt(draws);
        for (double v : sum) {
            d.writeDouble(v);
        }
        d.flush();
    }

    /**
     * Reads a saved state, or {@link #empty} when {@code path} does not exist (a run killed
     * before its first block).
     *
     * @throws UserError when the file is not a state of n samples
     */
    static MonteCarloSums readOrEmpty(Path path, int n) {
        if (!Files.exists(path)) {
            return empty(n);
        }
        try (InputStream in = Files.newInputStream(path);
             DataInputStream d = new DataInputStream(new BufferedInputStream(in, 1 << 16))) {
            if (!d.readUTF().equals(MAGIC) || d.readInt() != VERSION) {
                throw new UserError(path + " is not a Monte-Carlo state of this version");
            }
            int savedN = d.readInt();
            int draws = d.readInt();
            if (savedN != n || draws < 0) {
                throw new UserError(path + " holds a sum over " + savedN + " samples, this run has " + n);
            }
            double[] sum = new double[n * n];
            for (int i = 0; i < sum.length; i++) {
                sum[i] = d.readDouble();
            }
            return new MonteCarloSums(n, draws, sum);
        } catch (EOFException e) {
            throw new UserError(path + " is truncated");
        } catch (IOException e) {
            throw new UserError("cannot read " + path + ": " + e.getMessage());
        }
    }
}
