package ntklc.report;

/**
 * A run folder cannot be used: the chosen path is not a folder or cannot be created, a folder to
 * resume is missing or holds no recorded options, or a table of finished units in it was written
 * with other columns. The message names the path and fits on one line; the command-line layer
 * prints it as a user error.
 */
public class RunFolderException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public RunFolderException(String message) {
        super(message);
    }
}
