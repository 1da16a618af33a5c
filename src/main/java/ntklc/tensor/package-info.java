/**
 * Float32 row-major tensors and their CPU operations (the reference backend): storage, shapes, matrix multiply.
 */
package ntklc.tensor;
