package ntklc.linalg;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The few level-1 loops every O(n³) routine of this package spends its time in, written with the
 * incubating Vector API so that they run as SIMD code whatever the array offsets are (C2's
 * auto-vectoriser gives up on loops of the form {@code y[yo + j] += a·x[xo + j]}).
 * Each method has a plain scalar tail; results agree with the scalar loop up to the order of
 * summation in {@link #dot}.
 */
final class Simd {
    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    private static final int W = S.length();

    private Simd() {
    }

    /** {@code Σ_{j<len} x[xo+j]·y[yo+j]}. */
    static double dot(double[] x, int xo, double[] y, int yo, int len) {
        int j = 0;
        DoubleVector acc0 = DoubleVector.zero(S);
        DoubleVector acc1 = DoubleVector.zero(S);
        for (; j + 2 * W <= len; j += 2 * W) {
            acc0 = DoubleVector.fromArray(S, x, xo + j).fma(DoubleVector.fromArray(S, y, yo + j), acc0);
            acc1 = DoubleVector.fromArray(S, x, xo + j + W).fma(DoubleVector.fromArray(S, y, yo + j + W), acc1);
        }
        double s = acc0.add(acc1).reduceLanes(VectorOperators.ADD);
        for (; j < len; j++) {
            s += x[xo + j] * y[yo + j];
        }
        return s;
    }

    /** {@code y[yo+j] += a·x[xo+j]} for {@code j < len}. {@code y} is Modified. */
    static void axpy(double a, double[] x, int xo, double[] y, int yo, int len) {
        int j = 0;
        DoubleVector va = DoubleVector.broadcast(S, a);
        for (; j + W <= len; j += W) {
            DoubleVector.fromArray(S, x, xo + j).fma(va, DoubleVector.fromArray(S, y, yo + j)).intoArray(y, yo + j);
        }
        for (; j < len; j++) {
            y[yo + j] += a * x[xo + j];
        }
    }

    /**
     * {@code y[yo+j] −= a·u[uo+j] + b·w[wo+j]} for {@code j < len}: one row of a symmetric
     * rank-2 update. {@code y} is Modified.
     */
    static void rank2(double a, double[] u, int uo, double b, double[] w, int wo, double[] y, int yo, int len) {
        int j = 0;
        DoubleVector va = DoubleVector.broadcast(S, -a);
        DoubleVector vb = DoubleVector.broadcast(S, -b);
        for (; j + W <= len; j += W) {
            DoubleVector yv = DoubleVector.fromArray(S, y, yo + j);
            yv = DoubleVector.fromArray(S, u, uo + j).fma(va, yv);
            yv = DoubleVector.fromArray(S, w, wo + j).fma(vb, yv);
            yv.intoArray(y, yo + j);
        }
        for (; j < len; j++) {
            y[yo + j] -= a * u[uo + j] + b * w[wo + j];
        }
    }

    /**
     * Two {@link #rank2} updates in one pass over {@code y} (each element of y is loaded and
     * stored once): {@code y[yo+j] −= a·u[uo+j] + b·w[wo+j] + c·p[po+j] + d·q[qo+j]}.
     * {@code y} is Modified.
     */
    static void rank4(double a, double[] u, int uo, double b, double[] w, int wo, double c, double[] p, int po,
                      double d, double[] q, int qo, double[] y, int yo, int len) {
        int j = 0;
        DoubleVector va = DoubleVector.broadcast(S, -a);
        DoubleVector vb = DoubleVector.broadcast(S, -b);
        DoubleVector vc = DoubleVector.broadcast(S, -c);
        DoubleVector vd = DoubleVector.broadcast(S, -d);
        for (; j + W <= len; j += W) {
            DoubleVector yv = DoubleVector.fromArray(S, y, yo + j);
            yv = DoubleVector.fromArray(S, u, uo + j).fma(va, yv);
            yv = DoubleVector.fromArray(S, w, wo + j).fma(vb, yv);
            yv = DoubleVector.fromArray(S, p, po + j).fma(vc, yv);
            yv = DoubleVector.fromArray(S, q, qo + j).fma(vd, yv);
            yv.intoArray(y, yo + j);
        }
        for (; j < len; j++) {
            y[yo + j] -= a * u[uo + j] + b * w[wo + j] + c * p[po + j] + d * q[qo + j];
        }
    }

    /**
     * One row of a symmetric matrix–vector product that reads only the upper triangle:
     * returns {@code Σ_j a[ao+j]·v[vo+j]} and, in the same pass, adds {@code vr·a[ao+j]} to
     * {@code y[yo+j]} (the contribution of the mirrored lower triangle). {@code y} is Modified.
     */
    static double dotAndAxpy(double[] a, int ao, double[] v, int vo, double vr, double[] y, int yo, int len) {
        int j = 0;
        DoubleVector acc = DoubleVector.zero(S);
        DoubleVector vvr = DoubleVector.broadcast(S, vr);
        for (; j + W <= len; j += W) {
            DoubleVector av = DoubleVector.fromArray(S, a, ao + j);
            acc = av.fma(DoubleVector.fromArray(S, v, vo + j), acc);
            av.fma(vvr, DoubleVector.fromArray(S, y, yo + j)).intoArray(y, yo + j);
        }
        double s = acc.reduceLanes(VectorOperators.ADD);
        for (; j < len; j++) {
            s += a[ao + j] * v[vo + j];
            y[yo + j] += vr * a[ao + j];
        }
        return s;
    }

    /**
     * {@link #dotAndAxpy} for four rows at once, {@code a_q = a[ao + q·lda …]}, q = 0…3:
     * {@code dots[q] = Σ_j a_q,j·v_j} and {@code y_j += Σ_q vr[q]·a_q,j}, so that v and y are
     * loaded and y stored once for four rows. The four dot products are four independent
     * accumulators, which hides the latency of the fused multiply–add (with one accumulator the
     * loop runs one vector per four cycles). {@code y}, {@code dots} are Modified.
     */
    static void dotAndAxpy4(double[] a, int ao, int lda, double[] v, int vo, double[] vr, double[] y, int yo, int len,
                            double[] dots) {
        int a1 = ao + lda;
        int a2 = a1 + lda;
        int a3 = a2 + lda;
        DoubleVector s0 = DoubleVector.zero(S);
        DoubleVector s1 = DoubleVector.zero(S);
        DoubleVector s2 = DoubleVector.zero(S);
        DoubleVector s3 = DoubleVector.zero(S);
        DoubleVector w0 = DoubleVector.broadcast(S, vr[0]);
        DoubleVector w1 = DoubleVector.broadcast(S, vr[1]);
        DoubleVector w2 = DoubleVector.broadcast(S, vr[2]);
        DoubleVector w3 = DoubleVector.broadcast(S, vr[3]);
        int j = 0;
        for (; j + W <= len; j += W) {
            DoubleVector x0 = DoubleVector.fromArray(S, a, ao + j);
            DoubleVector x1 = DoubleVector.fromArray(S, a, a1 + j);
            DoubleVector x2 = DoubleVector.fromArray(S, a, a2 + j);
            DoubleVector x3 = DoubleVector.fromArray(S, a, a3 + j);
            DoubleVector vj = DoubleVector.fromArray(S, v, vo + j);
            s0 = x0.fma(vj, s0);
            s1 = x1.fma(vj, s1);
            s2 = x2.fma(vj, s2);
            s3 = x3.fma(vj, s3);
            DoubleVector yj = DoubleVector.fromArray(S, y, yo + j);
            x3.fma(w3, x2.fma(w2, x1.fma(w1, x0.fma(w0, yj)))).intoArray(y, yo + j);
        }
        double d0 = s0.reduceLanes(VectorOperators.ADD);
        double d1 = s1.reduceLanes(VectorOperators.ADD);
        double d2 = s2.reduceLanes(VectorOperators.ADD);
        double d3 = s3.reduceLanes(VectorOperators.ADD);
        for (; j < len; j++) {
            double x0 = a[ao + j];
            double x1 = a[a1 + j];
            double x2 = a[a2 + j];
            double x3 = a[a3 + j];
            double vj = v[vo + j];
            d0 += x0 * vj;
            d1 += x1 * vj;
            d2 += x2 * vj;
            d3 += x3 * vj;
            y[yo + j] += vr[0] * x0 + vr[1] * x1 + vr[2] * x2 + vr[3] * x3;
        }
        dots[0] = d0;
        dots[1] = d1;
        dots[2] = d2;
        dots[3] = d3;
    }

    /**
     * Plane rotation of two rows: {@code (x, y) ← (c·x − s·y, s·x + c·y)} elementwise over
     * {@code len} entries. Both arrays are Modified.
     */
    static void rotate(double c, double s, double[] x, int xo, double[] y, int yo, int len) {
        int j = 0;
        DoubleVector vc = DoubleVector.broadcast(S, c);
        DoubleVector vs = DoubleVector.broadcast(S, s);
        for (; j + W <= len; j += W) {
            DoubleVector xv = DoubleVector.fromArray(S, x, xo + j);
            DoubleVector yv = DoubleVector.fromArray(S, y, yo + j);
            xv.mul(vc).sub(yv.mul(vs)).intoArray(x, xo + j);
            xv.mul(vs).add(yv.mul(vc)).intoArray(y, yo + j);
        }
        for (; j < len; j++) {
            double xv = x[xo + j];
            double yv = y[yo + j];
            x[xo + j] = c * xv - s * yv;
            y[yo + j] = s * xv + c * yv;
        }
    }

    /**
     * One QL sweep of plane rotations on columns {@code [c0, c0+w)} of the rows of {@code z}: for
     * {@code i = high−1} down to {@code low}, with {@code (c, s) = (cs[k], sn[k])}, {@code k}
     * counting up from {@code k0}, {@code (z_i, z_{i+1}) ← (c z_i − s z_{i+1}, s z_i + c z_{i+1})}.
     * Row {@code i} produced by one rotation is the input of the next, so it is carried in
     * registers: each row is loaded and stored once per sweep. {@code z} is Modified.
     */
    static void rotationSweep(double[][] z, int low, int high, double[] cs, double[] sn, int k0, int c0, int w) {
        int j = c0;
        int end = c0 + w;
        for (; j + 2 * W <= end; j += 2 * W) {
            DoubleVector carry0 = DoubleVector.fromArray(S, z[high], j);
            DoubleVector carry1 = DoubleVector.fromArray(S, z[high], j + W);
            int k = k0;
            for (int i = high - 1; i >= low; i--, k++) {
                DoubleVector c = DoubleVector.broadcast(S, cs[k]);
                DoubleVector s = DoubleVector.broadcast(S, sn[k]);
                double[] zi = z[i];
                double[] zi1 = z[i + 1];
                DoubleVector x0 = DoubleVector.fromArray(S, zi, j);
                DoubleVector x1 = DoubleVector.fromArray(S, zi, j + W);
                x0.fma(s, carry0.mul(c)).intoArray(zi1, j);
                x1.fma(s, carry1.mul(c)).intoArray(zi1, j + W);
                carry0 = x0.mul(c).sub(carry0.mul(s));
                carry1 = x1.mul(c).sub(carry1.mul(s));
            }
            carry0.intoArray(z[low], j);
            carry1.intoArray(z[low], j + W);
        }
        for (; j < end; j++) {
            double carry = z[high][j];
            int k = k0;
            for (int i = high - 1; i >= low; i--, k++) {
                double x = z[i][j];
                z[i + 1][j] = sn[k] * x + cs[k] * carry;
                carry = cs[k] * x - sn[k] * carry;
            }
            z[low][j] = carry;
        }
    }
}
