package ntklc.cli;

/**
 * One command of the command-line tool. Each implementation lives in {@code ntklc.experiments}
 * and also has a plain {@code main} that calls {@link Cli#runAndExit(Command, String[])}.
 */
public interface Command {
    /** The word typed after the jar, e.g. {@code train-mlp}. */
    String name();

    /** One line for the global help. */
    String summary();

    /** Declared options with defaults and help. */
    OptionSpec options();

    /**
     * Runs the command. Progress goes to standard error, results into the run folder; the last
     * line on standard output is the run folder, for commands that write one.
     *
     * @return the exit status (0 on success)
     */
    int run(ParsedOptions options) throws Exception;
}
