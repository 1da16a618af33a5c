/**
 * CPU reference implementations of the convolutional-network kernels (3×3 convolution, 2×2
 * max-pool, batch norm, element-wise activations, fused softmax cross-entropy; docs/theory.md §1.4). Each
 * class is the specification of one OpenCL kernel file in {@code kernels/} and is fast in its own
 * right (im2col + the Vector API GEMM, one image or channel per core).
 */
package ntklc.backend.cpu;
