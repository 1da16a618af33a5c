/**
 * Pointwise activations as types, each with its value, derivative and Gaussian moments m0, m1, m2, m3, v, q (paper §3, spec §4).
 */
package ntklc.activation;
