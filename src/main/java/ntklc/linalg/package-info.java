/**
 * Dense double-precision linear algebra for the spectral experiments:
 * a row-major {@link ntklc.linalg.Matrix}, multithreaded products ({@link ntklc.linalg.Products}),
 * the symmetric eigensolver ({@link ntklc.linalg.SymmetricEigen}: Householder tridiagonalisation
 * plus implicit QL, all eigenvalues and only the eigenvectors asked for: inverse iteration for a
 * few, divide and conquer ({@code TridiagonalDivideConquer}) and blocked reflectors for many,
 * their flops in a register-blocked matrix product, {@code Gemm}), the operator norm of a
 * symmetric matrix, and Cholesky factorisation / SPD solves ({@link ntklc.linalg.Cholesky}) for
 * ridge regression.
 *
 * <p>Kernel matrices of the paper (n×n, n up to a few thousand) are formed and decomposed here in
 * double precision: the relative errors ‖K − K̃‖/‖K‖ of docs/theory.md §4.3 are a few percent, far above
 * float round-off, but the eigenvalue histograms span several orders of magnitude.
 */
package ntklc.linalg;
