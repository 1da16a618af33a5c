package ntklc.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import ntklc.report.RunFolder;
import ntklc.report.RunFolderException;

/**
 * The {@code --resume=RUN_DIR} contract shared by the long experiments.
 *
 * <ul>
 *   <li>The run continues with the options recorded in {@code RUN_DIR/config.properties}
 *       ({@link RunFolder#writeConfig}); {@link #options} rebuilds them.</li>
 *   <li>An option typed beside {@code --resume} must equal its recorded value, except the
 *       {@code harmless} ones the command names (e.g. {@code --device}: where a product runs does
 *       not change what is computed), which take the typed value. Any other difference is refused
 *       with one {@code error:} line: a resumed run must compute what the first one would have.</li>
 *   <li>{@link #folder} reopens {@code RUN_DIR} (removing the temporaries a kill left there) or,
 *       without {@code --resume}, creates a new run folder and records the options.</li>
 *   <li>The command then skips the units its {@link ntklc.report.FinishedRows} (or its own state file) records
 *       as finished; it draws its random generators as an uninterrupted run would, so the resumed
 *       results equal the uninterrupted ones.</li>
 * </ul>
 */
public final class Resume {
    /** The option's name. */
    public static final String OPTION = "resume";

    private Resume() {
    }

    /**
     * Declares {@code --resume=RUN_DIR} on a command's options.
     *
     * @param kept what a resumed run keeps, for the help line (e.g. "the networks already in its results.csv")
     * @param harmless the options that may be typed beside it
     */
    public static OptionSpec addOption(OptionSpec spec, String kept, Set<String> harmless) {
        return spec.add(OPTION, "", "continue the killed run in this folder with its recorded options, keeping "
                + kept + (harmless.isEmpty() ? "" : " (only --" + String.join(", --", harmless)
                + " may be given beside it)"));
    }

    /** True if the user asked to resume. */
    public static boolean requested(ParsedOptions given) {
        return !given.getString(OPTION).isBlank();
    }

    /**
     * The options of the run: {@code given} itself for a new run; for {@code --resume=DIR}, the
     * options recorded in {@code DIR}, checked against the typed ones as the class comment says.
     *
     * @param spec     the command's option declarations
     * @param given    what the user typed
     * @param harmless options that may differ from the recorded value (they take the typed one)
     * @throws UserError on a missing run folder, one without recorded options or with options this
     *         command does not declare (another command's folder), or a typed option that differs
     */
    public static ParsedOptions options(OptionSpec spec, ParsedOptions given, Set<String> harmless) {
        if (!requested(given)) {
            return given;
        }
        String command = given.command();
        RunFolder run = existing(given);
        Map<String, String> recorded;
        try {
            recorded = run.recordedOptions();
        } catch (RunFolderException e) {
            throw new UserError(command + ": --" + OPTION + ": " + e.getMessage());
        }
        List<String> foreign = recorded.keySet().stream().filter(k -> !spec.has(k)).sorted().toList();
        if (!foreign.isEmpty()) {
            throw new UserError(command + ": --" + OPTION + ": " + run + " is not a " + command + " run folder (its "
                    + RunFolder.CONFIG + " has options " + command + " does not know: --" + String.join(", --", foreign)
                    + ")");
        }
        for (String key : given.givenKeys()) {
            if (key.equals(OPTION) || harmless.contains(key)) {
                continue;
            }
            String was = recorded.getOrDefault(key, defaultOf(spec, key));
            if (!given.getString(key).trim().equals(was == null ? "" : was.trim())) {
                throw new UserError(command + ": --" + key + "=" + given.getString(key) + " differs from the value "
                        + "recorded in " + run.resolve(RunFolder.CONFIG) + " (" + was + "); a resumed run keeps its"
                        + " options" + (harmless.isEmpty() ? "" : ", only --" + String.join(", --", harmless)
                        + " may change"));
            }
        }
        List<String> args = new ArrayList<>();
        for (OptionSpec.Option option : spec.options()) {
            String name = option.name();
            if (name.equals(OPTION) || harmless.contains(name) || !recorded.containsKey(name)) {
                continue;
            }
            args.add("--" + name + "=" + recorded.get(name));
        }
        for (String key : given.givenKeys()) {
            if (key.equals(OPTION) || harmless.contains(key)) {
                args.add("--" + key + "=" + given.getString(key));
            }
        }
        return spec.parse(command, args.toArray(String[]::new));
    }

    /**
     * The run folder, locked for this process ({@link RunFolder#lock}): for {@code --resume=DIR}
     * the existing {@code DIR}, its stray temporaries removed; otherwise a new folder ({@code --out} or {@code out/<command>-<timestamp>}) with
     * {@code config.properties} written from {@code options}.
     *
     * @param given   what the user typed (decides whether to resume)
     * @param options the run's options ({@link #options})
     */
    public static RunFolder folder(ParsedOptions given, ParsedOptions options) {
        if (requested(given)) {
            // locked first: the temporaries of a process still writing here are not strays
            return existing(given).lock().removeStrayTemporaries();
        }
        RunFolder run = RunFolder.create(options.getString("out"), options.command()).lock();
        run.writeConfig(options.effective());
        return run;
    }

    private static String defaultOf(OptionSpec spec, String name) {
        for (OptionSpec.Option option : spec.options()) {
            if (option.name().equals(name)) {
                return option.defaultValue();
            }
        }
        return null;
    }

    private static RunFolder existing(ParsedOptions given) {
        Path dir = Path.of(given.getString(OPTION).trim());
        try {
            return RunFolder.existing(dir);
        } catch (RunFolderException e) {
            throw new UserError(given.command() + ": --" + OPTION + ": " + e.getMessage());
        }
    }
}
