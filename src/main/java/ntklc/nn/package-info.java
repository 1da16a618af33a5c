/**
 * Neural-network layers on top of {@code ntklc.autograd}: {@link ntklc.nn.Linear} (weights
 * {@code d_out×d_in}, the paper's {@code W_ℓ}), activations, dropout, {@link ntklc.nn.Sequential}
 * and the {@link ntklc.nn.Mlp} builder; the one weight-law type of the code base
 * ({@link ntklc.nn.Initializer}: Gaussian, Kaiming, the sparse ternary law of paper Eq. (16) /
 * docs/theory.md §6.1, Student t, and the naive-sparse and magnitude-pruning baselines; also used by
 * {@code spectral} and {@code compression}); optimizers ({@link ntklc.nn.Sgd},
 * {@link ntklc.nn.Adam}); and the mini-batch {@link ntklc.nn.Trainer}. These train the dense
 * baselines of the paper's Fig. 3–4 and the classifier on top of the compressed networks (docs/theory.md §6.4).
 */
package ntklc.nn;
