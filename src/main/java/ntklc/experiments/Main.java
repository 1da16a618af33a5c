package ntklc.experiments;

import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;

import ntklc.cli.Cli;
import ntklc.cli.Command;
import ntklc.cli.Launcher;

/**
 * Entry point of {@code target/ntk-lc.jar}: {@code java -jar target/ntk-lc.jar <command> [--key=value ...]}
 * (started again with {@code --add-modules jdk.incubator.vector} and {@code libjsig} when they are missing:
 * {@link Launcher}).
 * Every command is also runnable as its own main class in this package.
 */
public final class Main {
    private Main() {
    }

    /** The commands, in the order the global help lists them. */
    public static List<Command> commands() {
        return List.of(
                new Bench(),
                new DataSummary(),
                new CoefficientsCommand(),
                new TrainMlp(),
                new Spectrum(),
                new Solve(),
                new Compress(),
                new ActivationStudy(),
                new TrainVgg(),
                new ExtractFeatures(),
                new Report(),
                new Predict());
    }

    /** Runs the command, in a child JVM when this one lacks the Vector API module or signal chaining ({@link Launcher}). */
    public static void main(String[] args) {
        OptionalInt relaunched = Launcher.relaunch(Main.class, args);
        System.exit(relaunched.isPresent() ? relaunched.getAsInt() : run(args));
    }

    /** Dispatches to a command and returns the exit status. */
    public static int run(String[] args) {
        List<Command> commands = commands();
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help")) {
            System.out.print(Cli.globalHelp(commands));
            return args.length == 0 ? 2 : 0;
        }
        for (Command c : commands) {
            if (c.name().equals(args[0])) {
                return Cli.run(c, Arrays.copyOfRange(args, 1, args.length), System.out, System.err);
            }
        }
        System.err.println("error: unknown command '" + args[0] + "' (run with --help for the list)");
        return 2;
    }
}
