/**
 * CPU reference implementations of the convolutional-network kernels (3×3 convolution, 2×2
 * max-pool, batch norm, fused softmax cross-entropy, SGD with momentum; docs/theory.md §1.4; the element-wise
 * activations are {@link ntklc.activation.PointwiseOp}, shared with the autograd primitive). Each
 * class is the specification of one OpenCL kernel file in {@code kernels/} and is fast in its own
 * right (im2col + the Vector API GEMM, one image or channel per core).
 */
package ntklc.backend.cpu;
