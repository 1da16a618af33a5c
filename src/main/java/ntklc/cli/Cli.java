package ntklc.cli;

import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.util.List;

import ntklc.data.DataException;
import ntklc.report.RunFolderException;

/**
 * Runs commands: {@code --help} handling, strict option parsing, and the translation of user
 * mistakes into one-line messages with a non-zero exit status. A {@link UserError} (raised by the
 * command-line layer), a {@link DataException} (data the library refused: a missing or corrupt
 * file, a request the source cannot satisfy), a {@link RunFolderException} (an unusable run
 * folder) or a missing file prints {@code error: …} and exits
 * with {@link UserError#EXIT_CODE}; anything else is a bug and keeps its stack trace. Between
 * parsing and running, the command's {@link Command#footprint} is checked against the heap, so
 * that a run too large for it is refused before it allocates.
 */
public final class Cli {
    private Cli() {
    }

    /** Runs {@code command} with {@code args} and returns its exit status (never exits the JVM). */
    public static int run(Command command, String[] args, PrintStream out, PrintStream err) {
        for (String a : args) {
            if (a.equals("--help") || a.equals("-h")) {
                out.print(help(command));
                return 0;
            }
        }
        try {
            return execute(command, args);
        } catch (UserError | DataException | RunFolderException e) {
            err.println("error: " + e.getMessage());
            return UserError.EXIT_CODE;
        } catch (NoSuchFileException e) {
            err.println("error: " + command.name() + ": file not found: " + e.getFile());
            return UserError.EXIT_CODE;
        } catch (UncheckedIOException e) {
            err.println("error: " + command.name() + ": " + e.getCause().getMessage());
            return UserError.EXIT_CODE;
        } catch (OutOfMemoryError e) {
            // The preflight (Command#footprint) missed an allocation: still one line, with the remedy.
            err.println("error: " + command.name() + ": out of memory (" + e.getMessage() + ") with a Java heap of "
                    + Footprint.size(Runtime.getRuntime().maxMemory()) + "; raise it with java -Xmx… or use smaller sizes");
            return UserError.EXIT_CODE;
        } catch (Exception e) {
            err.println("internal error in " + command.name() + " (please report it):");
            e.printStackTrace(err);
            return 1;
        }
    }

    /**
     * Parses {@code args}, checks the command's {@link Command#footprint} against the heap and runs
     * it; errors are thrown, not printed. {@link #run} and commands that run others in-process
     * (the report) both go through here, so every run gets the same checks.
     */
    public static int execute(Command command, String[] args) throws Exception {
        ParsedOptions options = command.options().parse(command.name(), args);
        command.footprint(options).check(command.name(), Runtime.getRuntime().maxMemory());
        return command.run(options);
    }

    /**
     * Runs the command and exits the JVM with its status (for {@code main} methods), in a child JVM
     * when this one lacks the Vector API module or signal chaining ({@link Launcher}).
     */
    public static void runAndExit(Command command, String[] args) {
        java.util.OptionalInt relaunched = Launcher.relaunch(command.getClass(), args);
        System.exit(relaunched.isPresent() ? relaunched.getAsInt() : run(command, args, System.out, System.err));
    }

    /** Per-command help: summary, usage and every option with its default. */
    public static String help(Command command) {
        return command.name() + " — " + command.summary() + "\n\n"
                + "usage: java -jar target/ntk-lc.jar " + command.name()
                + " [--key=value ...]\n\noptions:\n" + command.options().help() + "  --help  this text\n";
    }

    /** Global help listing the commands. */
    public static String globalHelp(List<Command> commands) {
        StringBuilder sb = new StringBuilder();
        sb.append("ntk-lc — NTK-LC (Gu et al., NeurIPS 2022) in plain Java\n\n");
        sb.append("usage: java -jar target/ntk-lc.jar <command> [--key=value ...]\n");
        sb.append("       java -jar target/ntk-lc.jar <command> --help\n\ncommands:\n");
        int width = commands.stream().mapToInt(c -> c.name().length()).max().orElse(0);
        for (Command c : commands) {
            sb.append("  ").append(c.name()).append(" ".repeat(width - c.name().length() + 2)).append(c.summary()).append('\n');
        }
        return sb.toString();
    }
}
