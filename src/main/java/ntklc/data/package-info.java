/**
 * Data sets (paper §4, spec §2): MNIST and Fashion-MNIST (IDX), CIFAR-10 (binary version), the
 * Gaussian-mixture test cases, and the raw-pixel preprocessing of spec §2.4.
 */
package ntklc.data;
