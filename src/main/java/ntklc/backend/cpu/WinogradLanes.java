package ntklc.backend.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The contiguous loops of {@link Winograd3x3}'s transforms, in the incubating Vector API: C2's
 * auto-vectoriser left them scalar (the input transform's column stage alone took about 14 ns per
 * tile and channel on one Zen 3 core). Each method has a scalar tail and computes exactly what its
 * scalar loop would (the same additions in the same order, lane by lane). Only used when
 * {@code jdk.incubator.vector} is present ({@link Winograd3x3#applies}).
 */
final class WinogradLanes {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private WinogradLanes() {
    }

    /**
     * {@code Bᵀ d} on whole rows: for {@code s ∈ [from, to)}, with {@code d_r = row r at s}
     * (rows at {@code y0[x0 + s]}, {@code x[x1 + s]}, {@code y2[x2 + s]}, {@code y3[x3 + s]}),
     * {@code b0[s+1] = d0 − d2}, {@code b1[s+1] = d1 + d2}, {@code b2[s+1] = d2 − d1},
     * {@code b3[s+1] = d1 − d3}. {@code b0 … b3} are Modified.
     */
    static void columns(float[] y0, int x0, float[] x, int x1, float[] y2, int x2, float[] y3, int x3, int from, int to,
                        float[] b0, float[] b1, float[] b2, float[] b3) {
        int s = from;
        for (; s + L <= to; s += L) {
            FloatVector d0 = FloatVector.fromArray(S, y0, x0 + s);
            FloatVector d1 = FloatVector.fromArray(S, x, x1 + s);
            FloatVector d2 = FloatVector.fromArray(S, y2, x2 + s);
            FloatVector d3 = FloatVector.fromArray(S, y3, x3 + s);
            d0.sub(d2).intoArray(b0, s + 1);
            d1.add(d2).intoArray(b1, s + 1);
            d2.sub(d1).intoArray(b2, s + 1);
            d1.sub(d3).intoArray(b3, s + 1);
        }
        for (; s < to; s++) {
            float d0 = y0[x0 + s];
            float d1 = x[x1 + s];
            float d2 = y2[x2 + s];
            float d3 = y3[x3 + s];
            b0[s + 1] = d0 - d2;
            b1[s + 1] = d1 + d2;
            b2[s + 1] = d2 - d1;
            b3[s + 1] = d1 - d3;
        }
    }

    /**
     * {@code · B} for {@code run} tiles from the even and odd columns of one {@code Bᵀ d} row:
     * {@code v[o + q] = e_q − e_{q+1}}, {@code v[o + P + q] = o_q + e_{q+1}},
     * {@code v[o + 2P + q] = e_{q+1} − o_q}, {@code v[o + 3P + q] = o_q − o_{q+1}} ({@code P = plane}).
     * {@code v} is Modified.
     */
    static void rowsTimesB(float[] even, float[] odd, int run, float[] v, int o, int plane) {
        int q = 0;
        for (; q + L <= run; q += L) {
            FloatVector e = FloatVector.fromArray(S, even, q);
            FloatVector e1 = FloatVector.fromArray(S, even, q + 1);
            FloatVector d = FloatVector.fromArray(S, odd, q);
            FloatVector d1 = FloatVector.fromArray(S, odd, q + 1);
            e.sub(e1).intoArray(v, o + q);
            d.add(e1).intoArray(v, o + plane + q);
            e1.sub(d).intoArray(v, o + 2 * plane + q);
            d.sub(d1).intoArray(v, o + 3 * plane + q);
        }
        for (; q < run; q++) {
            v[o + q] = even[q] - even[q + 1];
            v[o + plane + q] = odd[q] + even[q + 1];
            v[o + 2 * plane + q] = even[q + 1] - odd[q];
            v[o + 3 * plane + q] = odd[q] - odd[q + 1];
        }
    }

    /**
     * {@code Y = Aᵀ M A} for {@code run} tiles whose 16 entries lie at {@code m[i0 + ξ·plane + q]}:
     * the output's even and odd columns of its two rows into {@code e0, o0} (row 0) and
     * {@code e1, o1} (row 1), entries {@code 0 … run−1}, which are Modified.
     */
    static void outputTiles(float[] m, int i0, int plane, int run, float[] e0, float[] o0, float[] e1, float[] o1) {
        int q = 0;
        for (; q + L <= run; q += L) {
            int a = i0 + q;
            FloatVector m4 = FloatVector.fromArray(S, m, a + 4 * plane);
            FloatVector m5 = FloatVector.fromArray(S, m, a + 5 * plane);
            FloatVector m6 = FloatVector.fromArray(S, m, a + 6 * plane);
            FloatVector m7 = FloatVector.fromArray(S, m, a + 7 * plane);
            FloatVector m8 = FloatVector.fromArray(S, m, a + 8 * plane);
            FloatVector m9 = FloatVector.fromArray(S, m, a + 9 * plane);
            FloatVector m10 = FloatVector.fromArray(S, m, a + 10 * plane);
            FloatVector m11 = FloatVector.fromArray(S, m, a + 11 * plane);
            FloatVector r00 = FloatVector.fromArray(S, m, a).add(m4).add(m8);
            FloatVector r01 = FloatVector.fromArray(S, m, a + plane).add(m5).add(m9);
            FloatVector r02 = FloatVector.fromArray(S, m, a + 2 * plane).add(m6).add(m10);
            FloatVector r03 = FloatVector.fromArray(S, m, a + 3 * plane).add(m7).add(m11);
            FloatVector r10 = m4.sub(m8).sub(FloatVector.fromArray(S, m, a + 12 * plane));
            FloatVector r11 = m5.sub(m9).sub(FloatVector.fromArray(S, m, a + 13 * plane));
            FloatVector r12 = m6.sub(m10).sub(FloatVector.fromArray(S, m, a + 14 * plane));
            FloatVector r13 = m7.sub(m11).sub(FloatVector.fromArray(S, m, a + 15 * plane));
            r00.add(r01).add(r02).intoArray(e0, q);
            r01.sub(r02).sub(r03).intoArray(o0, q);
            r10.add(r11).add(r12).intoArray(e1, q);
            r11.sub(r12).sub(r13).intoArray(o1, q);
        }
        for (; q < run; q++) {
            int a = i0 + q;
            float r00 = m[a] + m[a + 4 * plane] + m[a + 8 * plane];
            float r01 = m[a + plane] + m[a + 5 * plane] + m[a + 9 * plane];
            float r02 = m[a + 2 * plane] + m[a + 6 * plane] + m[a + 10 * plane];
            float r03 = m[a + 3 * plane] + m[a + 7 * plane] + m[a + 11 * plane];
            float r10 = m[a + 4 * plane] - m[a + 8 * plane] - m[a + 12 * plane];
            float r11 = m[a + 5 * plane] - m[a + 9 * plane] - m[a + 13 * plane];
            float r12 = m[a + 6 * plane] - m[a + 10 * plane] - m[a + 14 * plane];
            float r13 = m[a + 7 * plane] - m[a + 11 * plane] - m[a + 15 * plane];
            e0[q] = r00 + r01 + r02;
            o0[q] = r01 - r02 - r03;
            e1[q] = r10 + r11 + r12;
            o1[q] = r11 - r12 - r13;
        }
    }

    /**
     * {@code dM = A dY Aᵀ} for {@code run} output-gradient tiles with pixels {@code e0[q], o0[q]}
     * (top row) and {@code e1[q], o1[q]} (bottom row): with the rows of {@code A dY},
     * {@code (a, b) = (p00, p01), (p00 + p10, p01 + p11), (p00 − p10, p01 − p11), (−p10, −p11)}, each
     * gives {@code (a, a + b, a − b, −b)} at {@code dm[o + ξ·plane + q]}. {@code dm} is Modified.
     */
    static void gradientTiles(float[] e0, float[] o0, float[] e1, float[] o1, int run, float[] dm, int o, int plane) {
        int q = 0;
        for (; q + L <= run; q += L) {
            FloatVector p00 = FloatVector.fromArray(S, e0, q);
            FloatVector p01 = FloatVector.fromArray(S, o0, q);
            FloatVector p10 = FloatVector.fromArray(S, e1, q);
            FloatVector p11 = FloatVector.fromArray(S, o1, q);
            gradientRow(p00, p01, dm, o + q, plane);
            gradientRow(p00.add(p10), p01.add(p11), dm, o + 4 * plane + q, plane);
            gradientRow(p00.sub(p10), p01.sub(p11), dm, o + 8 * plane + q, plane);
            gradientRow(p10.neg(), p11.neg(), dm, o + 12 * plane + q, plane);
        }
        for (; q < run; q++) {
            float p00 = e0[q];
            float p01 = o0[q];
            float p10 = e1[q];
            float p11 = o1[q];
            gradientRow(p00, p01, dm, o + q, plane);
            gradientRow(p00 + p10, p01 + p11, dm, o + 4 * plane + q, plane);
            gradientRow(p00 - p10, p01 - p11, dm, o + 8 * plane + q, plane);
            gradientRow(-p10, -p11, dm, o + 12 * plane + q, plane);
        }
    }

    /** {@code (a, a + b, a − b, −b)} into {@code dm[at]}, {@code dm[at + plane]}, … (Modified). */
    private static void gradientRow(FloatVector a, FloatVector b, float[] dm, int at, int plane) {
        a.intoArray(dm, at);
        a.add(b).intoArray(dm, at + plane);
        a.sub(b).intoArray(dm, at + 2 * plane);
        b.neg().intoArray(dm, at + 3 * plane);
    }

    /** The same for one lane. */
    private static void gradientRow(float a, float b, float[] dm, int at, int plane) {
        dm[at] = a;
        dm[at + plane] = a + b;
        dm[at + 2 * plane] = a - b;
        dm[at + 3 * plane] = -b;
    }
}
