package ntklc.cli;

/**
 * A mistake the user can fix: a bad flag, a missing or corrupt data file, NaNs in training.
 * {@link Cli} prints its message on one line and exits with {@link #EXIT_CODE}; no stack trace.
 */
public class UserError extends RuntimeException {
    /** Exit status used for every user error. */
    public static final int EXIT_CODE = 2;

    private static final long serialVersionUID = 1L;

    public UserError(String message) {
        super(message);
    }

    public UserError(String message, Throwable cause) {
        super(message, cause);
    }
}
