/**
 * Pointwise activations as types, each with its value, derivative and Gaussian moments m0, m1, m2,
 * m3, v, q (paper §3, docs/theory.md §3), shared by the networks and the theory.
 *
 * <p>One class per family, with one-line specialisations in {@link ntklc.activation.Activations}
 * (which also parses the command-line spellings): {@link ntklc.activation.PiecewiseLinear} (relu,
 * lrelu, abs, linear), {@link ntklc.activation.PiecewiseConstant} (step, sign, σ_T, σ_Q),
 * {@link ntklc.activation.Polynomial}, {@link ntklc.activation.Sinusoid} (sin, cos),
 * {@link ntklc.activation.ErrorFunction} (erf) and {@link ntklc.activation.Smooth} (tanh, sigmoid).
 * Closed forms where they exist; {@link ntklc.activation.GaussianMoments} is the quadrature path,
 * used for tanh and sigmoid and as the test oracle of every closed form.
 * {@link ntklc.activation.PointwiseOp} is the float definition of ReLU, tanh and the sigmoid that
 * the autograd primitive and both backends compute, one op name per function on every device. Hermite coefficients
 * (for the exact kernels of docs/theory.md §3.2) come from
 * {@link ntklc.activation.Activation#hermiteCoefficients(double, int)}.
 */
package ntklc.activation;
