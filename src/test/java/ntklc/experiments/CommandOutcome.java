package ntklc.experiments;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import ntklc.cli.Cli;
import ntklc.cli.Command;

/**
 * What one command run through {@link Cli#run} leaves behind: its exit status, its standard
 * output and its error stream. Commands print results, summaries and the run folder on
 * {@code System.out} as well as on the stream handed to them, so both land in {@code out};
 * progress on {@code System.err} is swallowed, so {@code err} holds only what {@link Cli} reports
 * (help, {@code error: …} lines).
 */
record CommandOutcome(int status, String out, String err) {
    /** Runs {@code command} with {@code args}, capturing as described above; System streams restored. */
    static CommandOutcome run(Command command, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream outStream = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
        PrintStream systemOut = System.out;
        PrintStream systemErr = System.err;
        int status;
        try {
            System.setOut(outStream);
            System.setErr(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
            status = Cli.run(command, args, outStream, errStream);
        } finally {
            System.setOut(systemOut);
            System.setErr(systemErr);
        }
        return new CommandOutcome(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** The run folder, printed as the last line of standard output by every command that writes one. */
    Path runFolder() {
        String[] lines = out.strip().split("\n");
        return Path.of(lines[lines.length - 1]);
    }
}
