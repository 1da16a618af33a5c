package ntklc.nn.vgg;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import ntklc.autograd.Variable;
import ntklc.nn.Sgd;
import ntklc.tensor.Tensor;

/**
 * Everything needed to continue a VGG training run, or (without the optimiser state) to use its
 * weights: the file {@code checkpoint.bin} that {@code train-vgg} rewrites atomically after every
 * epoch, and {@code best.bin}, the weights of the epoch with the best test accuracy.
 *
 * <p>File format, version 1, big-endian ({@link DataOutputStream}):
 * <pre>
 *   8 bytes   magic "NTKLCVGG" (ASCII)
 *   int32     version = 1
 *   int32     L, then L × int32: the channel plan (0 = max-pool)
 *   int32 ×4  C_in, S (image side), classifier width, classes
 *   int32     epoch: completed epochs
 *   int64     seed of the run
 *   float64   best test accuracy so far;  int32 epoch of that accuracy (0: none yet)
 *   three tensor groups, each: int32 count, then per tensor int32 rank, rank × int32 dims, size × float32
 *     1. parameters, in {@link Vgg#parameters()} order (per block filters K×C×3×3, γ, β; per Linear W, b)
 *     2. batch-norm running statistics, in {@link Vgg#runningStatistics()} order (per block mean, variance)
 *     3. SGD velocities, one per parameter in the same order (count 0 in a weights-only file)
 * </pre>
 * The random-generator state is the pair (seed, epoch): every random draw of epoch {@code e} comes
 * from {@link VggTraining#epochGenerator(long, int)}, so nothing else needs saving.
 *
 * @param architecture the network's shape
 * @param epoch        completed epochs
 * @param seed         the run's seed
 * @param bestAccuracy best test accuracy so far (NaN before the first evaluation)
 * @param bestEpoch    epoch of {@code bestAccuracy}, 0 when none
 * @param parameters   parameter values (shared, not copied)
 * @param statistics   running statistics (shared, not copied)
 * @param velocity     SGD velocities, empty for a weights-only file (shared, not copied)
 */
public record Checkpoint(Vgg.Architecture architecture, int epoch, long seed, double bestAccuracy, int bestEpoch,
                         List<Tensor> parameters, List<Tensor> statistics, List<Tensor> velocity) {
    private static final byte[] MAGIC = "NTKLCVGG".getBytes(StandardCharsets.US_ASCII);
    private static final int VERSION = 1;

    /** The state of a model and, when {@code optimizer} is given, of its optimiser. */
    public static Checkpoint of(Vgg model, Sgd optimizer, int epoch, long seed, double bestAccuracy,
                                int bestEpoch) {
        List<Tensor> params = model.parameters().stream().map(Variable::value).toList();
        return new Checkpoint(model.architecture(), epoch, seed, bestAccuracy, bestEpoch, params,
                model.runningStatistics(), optimizer == null ? List.of() : optimizer.velocity());
    }

    /** Writes the file format above to {@code out} (not closed). */
    public void write(OutputStream out) throws IOException {
        DataOutputStream d = new DataOutputStream(new BufferedOutputStream(out, 1 << 16));
        d.write(MAGIC);
        d.writeInt(VERSION);
        int[] plan = architecture.plan();
        d.writeInt(plan.length);
        for (int v : plan) {
            d.writeInt(v);
        }
        d.writeInt(architecture.inChannels());
        d.writeInt(architecture.imageSize());
        d.writeInt(architecture.classifierWidth());
        d.writeInt(architecture.classes());
        d.writeInt(epoch);
        d.writeLong(seed);
        d.writeDouble(bestAccuracy);
        d.writeInt(bestEpoch);
        for (List<Tensor> group : List.of(parameters, statistics, velocity)) {
            d.writeInt(group.size());
            for (Tensor t : group) {
                d.writeInt(t.rank());
                for (int s : t.shape()) {
                    d.writeInt(s);
                }
                for (float v : t.data()) {
                    d.writeFloat(v);
                }
            }
        }
        d.flush();
    }

    /**
     * Reads a checkpoint file.
     *
     * @throws IOException when the file is missing, truncated or not a version-1 VGG checkpoint
     */
    public static Checkpoint read(Path path) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(path), 1 << 16)) {
            DataInputStream d = new DataInputStream(in);
            byte[] magic = new byte[MAGIC.length];
            d.readFully(magic);
            if (!Arrays.equals(magic, MAGIC)) {
                throw new IOException(path + " is not a VGG checkpoint (bad magic)");
            }
            int version = d.readInt();
            if (version != VERSION) {
                throw new IOException(path + ": checkpoint version " + version + ", this code reads " + VERSION);
            }
            int[] plan = new int[boundedCount(d, 4096, path)];
            for (int i = 0; i < plan.length; i++) {
                plan[i] = d.readInt();
            }
            Vgg.Architecture a;
            try {
                a = new Vgg.Architecture(plan, d.readInt(), d.readInt(), d.readInt(), d.readInt());
            } catch (IllegalArgumentException e) {
                throw new IOException(path + ": invalid architecture: " + e.getMessage());
            }
            int epoch = d.readInt();
            long seed = d.readLong();
            double best = d.readDouble();
            int bestEpoch = d.readInt();
            List<Tensor> params = readGroup(d, path);
            List<Tensor> stats = readGroup(d, path);
            List<Tensor> velocity = readGroup(d, path);
            if (d.read() != -1) {
                throw new IOException(path + ": trailing bytes after the checkpoint");
            }
            return new Checkpoint(a, epoch, seed, best, bestEpoch, params, stats, velocity);
        } catch (EOFException e) {
            throw new IOException(path + " is truncated");
        }
    }

    private static int boundedCount(DataInputStream d, int max, Path path) throws IOException {
        int n = d.readInt();
        if (n < 0 || n > max) {
            throw new IOException(path + ": corrupt checkpoint (count " + n + ")");
        }
        return n;
    }

    private static List<Tensor> readGroup(DataInputStream d, Path path) throws IOException {
        int count = boundedCount(d, 1 << 16, path);
        List<Tensor> out = new ArrayList<>(count);
        for (int t = 0; t < count; t++) {
            int[] shape = new int[boundedCount(d, 8, path)];
            long size = 1;
            for (int i = 0; i < shape.length; i++) {
                shape[i] = boundedCount(d, 1 << 28, path);
                size *= shape[i];
            }
            if (size > (1 << 28)) {
                throw new IOException(path + ": corrupt checkpoint (tensor of " + size + " values)");
            }
            Tensor x = Tensor.zeros(shape);
            float[] v = x.data();
            for (int i = 0; i < v.length; i++) {
                v[i] = d.readFloat();
            }
            out.add(x);
        }
        return out;
    }

    /**
     * A network with this checkpoint's architecture, weights and running statistics.
     *
     * @throws IllegalArgumentException when the tensors do not fit the architecture
     */
    public Vgg restore() {
        Vgg model = Vgg.create(architecture, new SplittableRandom(0));
        copyInto(parameters, model.parameters().stream().map(Variable::value).toList(), "parameter");
        copyInto(statistics, model.runningStatistics(), "running statistic");
        return model;
    }

    /** The saved velocities copied into fresh tensors, or zeros when this file holds none. */
    public List<Tensor> velocityFor(Vgg model) {
        List<Tensor> fresh = Sgd.zeroVelocity(model.parameters());
        if (!velocity.isEmpty()) {
            copyInto(velocity, fresh, "velocity");
        }
        return fresh;
    }

    private static void copyInto(List<Tensor> from, List<Tensor> to, String what) {
        if (from.size() != to.size()) {
            throw new IllegalArgumentException("checkpoint holds " + from.size() + " " + what + " tensors, the network "
                    + to.size());
        }
        for (int i = 0; i < from.size(); i++) {
            if (!from.get(i).sameShape(to.get(i))) {
                throw new IllegalArgumentException(what + " " + i + ": checkpoint shape " + from.get(i).shapeString()
                        + ", network " + to.get(i).shapeString());
            }
            System.arraycopy(from.get(i).data(), 0, to.get(i).data(), 0, from.get(i).size());
        }
    }
}
