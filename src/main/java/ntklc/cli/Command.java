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
     * The dominant allocations of a run with these options ({@link Footprint}), checked by
     * {@link Cli#run} against the heap and Java's array limit before {@link #run} starts. Override it
     * in every command that allocates anything that grows with its options, writing the formula in
     * its Javadoc; it may check options (and throw {@link UserError}) but must not allocate, read
     * data or write files. Default: nothing large.
     */
    default Footprint footprint(ParsedOptions options) {
        return Footprint.none();
    }

    /**
     * Runs the command. Progress goes to standard error, results into the run folder; the last
     * line on standard output is the run folder, for commands that write one.
     *
     * @return the exit status (0 on success)
     */
    int run(ParsedOptions options) throws Exception;
}
