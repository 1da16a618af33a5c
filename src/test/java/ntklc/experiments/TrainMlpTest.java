package ntklc.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ntklc.cli.Cli;
import ntklc.cli.UserError;
import ntklc.report.Table;

/** {@code train-mlp}: the dry run writes a complete run folder; user mistakes end in one line and exit 2. */
class TrainMlpTest {
    private static CommandOutcome run(String... args) {
        return CommandOutcome.run(new TrainMlp(), args);
    }

    private static final String[] SMALL = {"--data=gmm-mixed", "--p=64", "--n-train=512", "--n-test=256",
        "--hidden=32"};

    private static String[] with(String... extra) {
        String[] args = new String[SMALL.length + extra.length];
        System.arraycopy(SMALL, 0, args, 0, SMALL.length);
        System.arraycopy(extra, 0, args, SMALL.length, extra.length);
        return args;
    }

    @Test
    void dryRunWritesTheRunFolder(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("run");
        CommandOutcome o = run(with("--dry-run", "--out=" + dir));
        assertEquals(0, o.status(), o.err());
        // Library code is silent, the command prints the summary and then the run folder last.
        List<String> lines = o.out().lines().toList();
        assertEquals(dir.toString(), lines.get(lines.size() - 1));
        for (String f : List.of("config.properties", "metrics.csv", "summary.csv", "training.png")) {
            assertTrue(Files.size(dir.resolve(f)) > 0, f);
        }
        Table metrics = Table.readCsv(dir.resolve("metrics.csv"));
        assertEquals(List.of("epoch", "learning_rate", "train_loss", "train_accuracy", "test_accuracy", "seconds"), metrics.columns());
        assertEquals(TrainMlp.DRY_RUN_EPOCHS, metrics.size());
        Table summary = Table.readCsv(dir.resolve("summary.csv"));
        assertEquals(List.of("metric", "value"), summary.columns());
        List<String> names = summary.rows().stream().map(r -> r.get(0).toString()).toList();
        assertTrue(names.containsAll(List.of("test_accuracy", "epoch_seconds_median")), names.toString());
        String config = Files.readString(dir.resolve("config.properties"));
        assertTrue(config.contains("seed=1") && config.contains("dry-run=true"), config);
        // Learning itself is tested in TrainerTest; ten batches only need to yield a valid accuracy.
        double accuracy = Double.parseDouble(summary.text(names.indexOf("test_accuracy"), "value"));
        assertTrue(accuracy >= 0 && accuracy <= 1, "dry-run test accuracy " + accuracy);
    }

    private static void assertOneLineUserError(CommandOutcome o, String fragment) {
        assertEquals(UserError.EXIT_CODE, o.status(), o.err());
        assertEquals(1, o.err().lines().count(), o.err());
        assertTrue(o.err().startsWith("error: ") && o.err().contains(fragment), o.err());
    }

    @Test
    void userMistakesAreOneLineErrors(@TempDir Path tmp) {
        assertOneLineUserError(run("--epochz=3"), "unknown option --epochz");
        assertOneLineUserError(run("--optimizer=rmsprop"), "--optimizer=rmsprop");
        assertOneLineUserError(run("--lr=-1"), "--lr=-1");
        assertOneLineUserError(run("--hidden=512,x"), "--hidden");
        assertOneLineUserError(run("--init=xavier"), "unknown initializer");
        assertOneLineUserError(run("--activation=swish"), "unknown activation");
        assertOneLineUserError(run("--lr-schedule=step"), "--lr-schedule=step");
        assertOneLineUserError(run("--data=mnist", "--data-dir=" + tmp.resolve("nowhere"), "--out=" + tmp.resolve("r")),
                "nowhere");
    }

    @Test
    void divergingTrainingIsAUserError(@TempDir Path tmp) {
        // With η = 1e30 the first Adam step moves every weight by about 1e30, so the next forward pass
        // overflows float32 and the loss becomes NaN or infinite.
        CommandOutcome o = run(with("--dry-run", "--lr=1e30", "--out=" + tmp.resolve("run")));
        assertOneLineUserError(o, "loss became");
    }

    @Test
    void helpListsEveryOptionWithItsDefault() {
        String help = Cli.help(new TrainMlp());
        for (String option : List.of("--data=", "--data-dir=", "--n-train=", "--hidden=", "--activation=", "--epochs=", "--batch=",
                "--lr=", "--optimizer=", "--seed=", "--dry-run", "--out=")) {
            assertTrue(help.contains(option), option);
        }
        assertTrue(help.contains("(default: 512,512)"), help);
    }
}
