package ntklc.data;

/**
 * The data cannot be supplied as asked: a data file that is missing, truncated or corrupt, a
 * source name that does not exist, or a request (classes, sample counts, class proportions, a
 * mixture's K and p) that the source cannot satisfy. The message names the file or the value and
 * fits on one line; the command-line layer prints it as a user error.
 */
public class DataException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public DataException(String message) {
        super(message);
    }

    public DataException(String message, Throwable cause) {
        super(message, cause);
    }
}
