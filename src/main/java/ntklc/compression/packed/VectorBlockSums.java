package ntklc.compression.packed;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** {@link BlockSums} with the Vector API: 64 sums in eight 8-lane registers. */
final class VectorBlockSums implements BlockSums {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_256;
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_256;
    /** Lane i holds 2^i: a comparison mask blended into it and OR-reduced gives its 8 bits. */
    private static final IntVector LANE_BITS = IntVector.fromArray(I, new int[] {1, 2, 4, 8, 16, 32, 64, 128}, 0);

    @Override
    public void atLeast(float[] acc, float[] total, int at, float[] tau, long[] bits) {
        java.util.Arrays.fill(bits, 0, tau.length, 0L);
        if (total != null) {
            for (int v = 0; v < 64; v += 8) {
                FloatVector a = FloatVector.fromArray(S, acc, v);
                a.add(a).sub(FloatVector.fromArray(S, total, at + v)).intoArray(acc, v);
            }
        }
        for (int v = 0; v < 8; v++) {
            FloatVector a = FloatVector.fromArray(S, acc, 8 * v);
            for (int k = 0; k < tau.length; k++) {
                int b = IntVector.zero(I).blend(LANE_BITS, a.compare(VectorOperators.GE, tau[k]).cast(I))
                        .reduceLanes(VectorOperators.OR);
                bits[k] |= (long) b << (8 * v);
            }
        }
    }

    @Override
    public void sum(float[] x, int base, int[] plus, int np, int[] minus, int nm, float[] acc) {
        FloatVector a0 = FloatVector.zero(S);
        FloatVector a1 = a0;
        FloatVector a2 = a0;
        FloatVector a3 = a0;
        FloatVector a4 = a0;
        FloatVector a5 = a0;
        FloatVector a6 = a0;
        FloatVector a7 = a0;
        for (int k = 0; k < np; k++) {
            int f = base + plus[k] * 64;
            a0 = a0.add(FloatVector.fromArray(S, x, f));
            a1 = a1.add(FloatVector.fromArray(S, x, f + 8));
            a2 = a2.add(FloatVector.fromArray(S, x, f + 16));
            a3 = a3.add(FloatVector.fromArray(S, x, f + 24));
            a4 = a4.add(FloatVector.fromArray(S, x, f + 32));
            a5 = a5.add(FloatVector.fromArray(S, x, f + 40));
            a6 = a6.add(FloatVector.fromArray(S, x, f + 48));
            a7 = a7.add(FloatVector.fromArray(S, x, f + 56));
        }
        for (int k = 0; k < nm; k++) {
            int f = base + minus[k] * 64;
            a0 = a0.sub(FloatVector.fromArray(S, x, f));
            a1 = a1.sub(FloatVector.fromArray(S, x, f + 8));
            a2 = a2.sub(FloatVector.fromArray(S, x, f + 16));
            a3 = a3.sub(FloatVector.fromArray(S, x, f + 24));
            a4 = a4.sub(FloatVector.fromArray(S, x, f + 32));
            a5 = a5.sub(FloatVector.fromArray(S, x, f + 40));
            a6 = a6.sub(FloatVector.fromArray(S, x, f + 48));
            a7 = a7.sub(FloatVector.fromArray(S, x, f + 56));
        }
        a0.intoArray(acc, 0);
        a1.intoArray(acc, 8);
        a2.intoArray(acc, 16);
        a3.intoArray(acc, 24);
        a4.intoArray(acc, 32);
        a5.intoArray(acc, 40);
        a6.intoArray(acc, 48);
        a7.intoArray(acc, 56);
    }
}
