/**
 * NTK-LC compression (paper §5, Algorithm 1; docs/theory.md §2.1, §6, §7): the layer-matching solver that
 * turns a dense activation chain into sparse-ternary-weight, binary-activation random-feature
 * networks ({@link ntklc.compression.NtkLcSolver}), the random-feature networks themselves with
 * their weight laws and baselines, the readouts (ridge, softmax) and the memory accounting.
 *
 * <p>Only the final linear classifier is ever trained (docs/theory.md §2.1); the hidden layers are random
 * and frozen, so the conjugate kernel governs accuracy.
 */
package ntklc.compression;
