package ntklc.experiments;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Stream;

import ntklc.cli.Cli;
import ntklc.cli.Command;
import ntklc.cli.DeviceOption;
import ntklc.cli.Footprint;
import ntklc.cli.OptionSpec;
import ntklc.cli.ParsedOptions;
import ntklc.cli.Resume;
import ntklc.cli.UserError;
import ntklc.data.DataException;
import ntklc.experiments.ReportArtefacts.Artefact;
import ntklc.experiments.ReportArtefacts.Scale;
import ntklc.experiments.ReportArtefacts.SubRun;
import ntklc.report.BuildInfo;
import ntklc.report.Comparison;
import ntklc.report.FinishedRows;
import ntklc.report.ProgressBar;
import ntklc.report.ReportDocument;
import ntklc.report.RunFolder;
import ntklc.report.Table;

/**
 * {@code report}: the paper reproduced by one command. For every artefact of
 * {@link ReportArtefacts} (Fig. 2 left/right, the NTK of Theorem 2, Fig. 3 top/bottom, Fig. 4
 * top/bottom, App. B Tables 1–2) it runs the existing commands ({@link Spectrum},
 * {@link Compress}, {@link ActivationStudy}) into sub-run folders, compares their CSVs with the
 * paper's numbers, and writes at the top of the run folder {@code report.csv}
 * ({@code artefact,item,metric,paper,measured,deviation,tolerance,verdict,note}),
 * {@code report.md} and a self-contained {@code report.html}.
 *
 * <p>Kill-safe, through the run-folder mechanism of {@link Resume} and {@link FinishedRows}: an
 * artefact is finished once its row is in {@code artefacts.csv} (after its {@code comparison.csv});
 * inside an artefact, each finished sub-run has a row in {@code <artefact>/runs.csv}, and a sub-run
 * killed midway continues with its command's {@code --resume} ({@code compress} keeps its finished
 * networks, {@code spectrum} its Monte-Carlo draws, {@code activations} its rows). {@code --resume=RUN_DIR} skips what is finished and reruns the rest; every
 * run is a deterministic function of the seed, so the resumed report equals an uninterrupted one.
 *
 * <p>{@code provenance.csv} records which build started, resumed and finished every sub-run
 * ({@link BuildInfo}); {@code --publish=FILE} writes the report as a document to commit
 * ({@link ReportPublisher}); the time estimates are {@link ReportEstimates}'s.
 */
public final class Report implements Command {
    /** Options that may differ beside {@code --resume}: they change where or whether work runs, not what is computed. */
    static final Set<String> RESUME_HARMLESS = Set.of(DeviceOption.OPTION, "publish", "rates", "dry-run");

    /** The finished artefacts with their times (a {@link FinishedRows} table at the top of the run folder). */
    static final String ARTEFACTS = "artefacts.csv";
    /** Inside an artefact's folder: its comparison rows, written before the artefact is recorded finished. */
    static final String ROWS = "comparison.csv";
    /** Inside an artefact's folder: its finished sub-runs (a {@link FinishedRows} table). */
    static final String RUNS = "runs.csv";
    /**
     * Which build started, resumed and finished each sub-run, on which CPU ({@link BuildInfo}): a
     * paper-scale run may span several sessions and builds. Run folders of builds before this file
     * existed have none; their sub-runs are reported as "not recorded".
     */
    static final String PROVENANCE = "provenance.csv";
    static final List<String> PROVENANCE_COLUMNS = List.of("artefact", "run", "event", "utc", "commit", "jar_sha256",
            "cpu");

    /**
     * Time an artefact took: wall-clock seconds and the CPU seconds of this JVM, which on a
     * loaded shared machine say more than the wall time (CPU seconds / cores ≈ the wall time of a
     * quiet machine when the work keeps every core busy).
     */
    record Timing(double wall, double cpu) {
        static final Timing NONE = new Timing(Double.NaN, Double.NaN);

        static Timing since(long wallStart, double cpuStart) {
            return new Timing((System.nanoTime() - wallStart) / 1e9, cpuSeconds() - cpuStart);
        }

        Timing plus(Timing o) {
            return new Timing(wall + o.wall, cpu + o.cpu);
        }
    }

    /** CPU seconds used by this JVM so far (NaN where the platform does not say). */
    static double cpuSeconds() {
        if (java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime() / 1e9;
        }
        return Double.NaN;
    }

    public static void main(String[] args) {
        Cli.runAndExit(new Report(), args);
    }

    @Override
    public String name() {
        return "report";
    }

    @Override
    public String summary() {
        return "the paper reproduced: every figure and table run, compared with the paper's numbers (report.md/.html/.csv)";
    }

    @Override
    public OptionSpec options() {
        OptionSpec spec = DeviceOption.addOption(new OptionSpec()
                .add("scale", "quick", "quick (reduced sizes, about 10 minutes on 2 cores) | paper (the paper's sizes, hours)"
                        + " | smoke (tiny sizes, seconds: a test of the pipeline, not a reproduction)")
                .add("only", "", "comma-separated artefacts (default: all): " + String.join(",", ReportArtefacts.NAMES))
                .add("features", "", "VGG19 features of CIFAR-10 (features.bin of the features command) for fig3-cifar10")
                .add("seed", "1", "seed passed to every run")
                .add("out", "", "run folder (default out/report-<timestamp>)")
                .add("rates", "measure", "GEMM rates behind the time estimates: measure (time short products on this "
                        + "CPU at start-up, about a second) | reference (the idle 2-core development machine's)")
                .add("publish", "", "also add this run's finished artefacts to the document FILE (e.g. "
                        + "docs/paper-report.md), keeping the artefacts published there by earlier runs of the same scale "
                        + "and seed; its sections, charts (downscaled) and numbers live in FILE's folder named without .md "
                        + "(docs/paper-report/); with --resume of a finished run nothing is recomputed")
                .flag("dry-run", "print the plan (artefacts, runs, networks, estimated time) and stop; with --resume "
                        + "and --publish, also publish the artefacts the run folder holds finished (of a run still going "
                        + "or killed)"));
        return Resume.addOption(spec, "its finished artefacts, sub-runs and networks", RESUME_HARMLESS);
    }

    /** The parsed configuration. */
    record Config(Scale scale, List<String> only, String features, long seed, String device,
                  ReportEstimates.Rates rates) {
    }

    static Config config(ParsedOptions o) {
        Scale scale = Scale.valueOf(o.getChoice("scale", "quick", "paper", "smoke").toUpperCase(Locale.ROOT));
        List<String> only = new ArrayList<>();
        for (String s : o.getString("only").split(",")) {
            String name = s.trim();
            if (name.isEmpty()) {
                continue;
            }
            if (!ReportArtefacts.NAMES.contains(name)) {
                throw o.bad("only", o.getString("only"), "a list of artefacts among "
                        + String.join(",", ReportArtefacts.NAMES));
            }
            only.add(name);
        }
        String features = o.getString("features").trim();
        if (!features.isEmpty() && !Files.isRegularFile(Path.of(features))) {
            throw new UserError("report: --features: no such file: " + features);
        }
        ReportEstimates.Rates rates = o.getChoice("rates", "measure", "reference").equals("measure")
                ? ReportEstimates.Rates.measure() : ReportEstimates.Rates.REFERENCE;
        return new Config(scale, only.isEmpty() ? ReportArtefacts.NAMES : only, features, o.getLong("seed"),
                o.getString(DeviceOption.OPTION), rates);
    }

    @Override
    public int run(ParsedOptions given) throws IOException {
        ParsedOptions o = Resume.options(options(), given, RESUME_HARMLESS);
        Config c = config(o);
        List<Artefact> artefacts = new ArrayList<>();
        for (Artefact a : ReportArtefacts.all(c.scale(), c.features())) {
            if (c.only().contains(a.name())) {
                artefacts.add(a);
            }
        }
        if (!o.getString("publish").isBlank()) {
            ReportPublisher.check(Path.of(o.getString("publish").trim()), c.scale().word(), c.seed());
        }
        RunFolder run = Resume.folder(given, o);
        FinishedRows done = FinishedRows.open(run, ARTEFACTS, List.of("artefact", "seconds", "cpu_seconds"),
                List.of("artefact"));
        FinishedRows provenance = FinishedRows.open(run, PROVENANCE, PROVENANCE_COLUMNS, List.of("artefact", "run",
                "event", "utc"));
        Table plan = plan(artefacts, c);
        run.writeCsv("plan.csv", plan);
        if (o.getBoolean("dry-run")) {
            printPlan(plan, c);
            System.err.println("report: dry run, nothing computed");
            if (!o.getString("publish").isBlank()) {
                publishFinished(artefacts, done, c, provenance, run, Path.of(o.getString("publish").trim()));
            }
            System.out.println(run.dir());
            return 0;
        }
        preflight(artefacts, done::isFinished, c.seed(), c.device(), Runtime.getRuntime().maxMemory());
        Map<String, Timing> seconds = new LinkedHashMap<>();
        double loadStart = java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        List<Comparison> rows = new ArrayList<>();
        Map<String, List<String>> charts = new LinkedHashMap<>();
        PrintStream err = System.err;
        long totalEstimate = 0;
        for (Artefact a : artefacts) {
            if (!done.isFinished(a.name())) {
                totalEstimate += weight(a, c.rates());
            }
        }
        ProgressBar overall = ProgressBar.perStep("report", Math.max(1, totalEstimate));
        int index = 0;
        for (Artefact a : artefacts) {
            index++;
            String tag = String.format(Locale.ROOT, "%s [%d/%d]", a.name(), index, artefacts.size());
            List<Comparison> artefactRows;
            if (done.isFinished(a.name())) {
                err.println("report: " + tag + " finished in an earlier run, kept");
                artefactRows = Comparison.fromTable(Table.readCsv(run.resolve(a.name()).resolve(ROWS)));
                seconds.put(a.name(), recordedTiming(done.table(), a.name()));
            } else {
                err.println("report: " + tag + " started, estimate " + clock(estimate(a, c.rates())));
                long t0 = System.nanoTime();
                double cpu0 = cpuSeconds();
                artefactRows = runArtefact(run, a, c, err, provenance);
                Timing s = Timing.since(t0, cpu0);
                if (artefactRows.stream().noneMatch(r -> r.verdict() == Comparison.Verdict.NOT_RUN)) {
                    done.add(a.name(), s.wall(), s.cpu());
                }
                seconds.put(a.name(), s);
                overall.advance(weight(a, c.rates()), tag + " done in " + clock(s.wall()) + ";");
            }
            rows.addAll(artefactRows);
            charts.put(a.name(), artefactRows.stream().allMatch(r -> r.verdict() == Comparison.Verdict.NOT_RUN)
                    ? List.of() : a.charts(RunFolder.existing(run.resolve(a.name()))));
        }
        run.writeCsv("report.csv", Comparison.table(rows));
        double loadEnd = java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        ReportDocument doc = document(artefacts, rows, seconds, charts, c, loadStart, loadEnd, provenance.table(),
                run.dir());
        doc.write(run, "report.md", "report.html");
        String publish = o.getString("publish").trim();
        if (!publish.isEmpty()) {
            Path file = ReportPublisher.publish(sections(artefacts, rows, seconds, charts, c, provenance.table(), run.dir()),
                    ReportArtefacts.all(c.scale(), c.features()), c.scale().word(), c.seed(), run.dir(), Path.of(publish));
            err.println("report: published " + file + " and its charts in " + ReportPublisher.chartFolder(file));
        }
        Table counts = counts(artefacts, rows, seconds);
        System.out.print(counts.format(4));
        System.out.println(run.dir());
        return 0;
    }

    /**
     * Checks the largest of the sub-runs still to do against the heap ({@link ntklc.cli.Command#footprint})
     * before the first one starts: at {@code --scale=paper} the widest networks come hours into the
     * run, and the message gives the {@code -Xmx} the whole run needs.
     * A sub-run whose options or data fail here is left to fail, and be reported, when it runs.
     *
     * @throws UserError naming the largest run, what it needs and the {@code -Xmx} to give
     */
    static void preflight(List<Artefact> artefacts, Predicate<String> finished, long seed,
                          String device, long maxMemory) {
        Footprint worst = Footprint.none();
        String label = "report";
        for (Artefact a : artefacts) {
            if (finished.test(a.name()) || !a.cannotRun().isEmpty()) {
                continue;
            }
            for (SubRun s : a.runs()) {
                Footprint f;
                try {
                    f = s.command().footprint(s.command().options().parse(s.command().name(),
                            s.withCommon(seed, device).toArray(String[]::new)));
                } catch (UserError | DataException e) {
                    continue;
                }
                if (f.bytes() > worst.bytes()) {
                    worst = f;
                    label = "report: " + a.name() + "/" + s.folder() + " (" + s.command().name() + ")";
                }
            }
        }
        worst.check(label, maxMemory);
    }

    /**
     * {@code --dry-run --publish=FILE}: publishes the artefacts the run folder holds finished (a
     * run still going, or killed) and computes nothing; their comparison rows are derived again
     * from the sub-runs' files (cheap), so that a comparison corrected since they ran is applied.
     */
    private static void publishFinished(List<Artefact> artefacts, FinishedRows done, Config c, FinishedRows provenance,
                                        RunFolder run, Path file) throws IOException {
        List<Artefact> finished = new ArrayList<>();
        List<Comparison> rows = new ArrayList<>();
        Map<String, Timing> seconds = new LinkedHashMap<>();
        Map<String, List<String>> charts = new LinkedHashMap<>();
        for (Artefact a : artefacts) {
            if (done.isFinished(a.name())) {
                finished.add(a);
                // derived again from the sub-runs' files, so that a corrected comparison reaches finished runs
                rows.addAll(a.compare(run.resolve(a.name())));
                seconds.put(a.name(), recordedTiming(done.table(), a.name()));
                charts.put(a.name(), a.charts(RunFolder.existing(run.resolve(a.name()))));
            }
        }
        ReportPublisher.publish(sections(finished, rows, seconds, charts, c, provenance.table(), run.dir()),
                ReportArtefacts.all(c.scale(), c.features()), c.scale().word(), c.seed(), run.dir(), file);
        System.err.println("report: published the " + finished.size() + " finished artefact(s) of " + run.dir() + " in "
                + file + ", computed nothing");
    }

    /** The artefact's weight in the overall progress: its estimate in whole seconds, at least 1. */
    private static long weight(Artefact a, ReportEstimates.Rates rates) {
        return Math.max(1, Math.round(estimate(a, rates)));
    }

    private static double estimate(Artefact a, ReportEstimates.Rates rates) {
        return a.cannotRun().isEmpty() ? a.runs().stream().mapToDouble(s -> s.work().seconds(rates)).sum() : 0;
    }

    /** The time recorded for a finished artefact in the {@link #ARTEFACTS} table. */
    private static Timing recordedTiming(Table finished, String artefact) {
        for (int i = 0; i < finished.size(); i++) {
            if (finished.text(i, "artefact").equals(artefact)) {
                return new Timing(finished.doubles("seconds")[i], finished.doubles("cpu_seconds")[i]);
            }
        }
        return Timing.NONE;
    }

    /**
     * Runs the sub-runs of an artefact not yet recorded in its {@link #RUNS} table: one a kill left
     * behind continues with its command's {@code --resume} where the command has one (keeping what
     * it finished), any other is removed and started again. Then writes the artefact's
     * comparison rows, atomically. An artefact that cannot run (no features) or whose sub-run fails
     * on a user error (missing data) gets {@code not-run} rows with the reason; it is not recorded
     * finished, so a resumed report tries it again.
     */
    private List<Comparison> runArtefact(RunFolder run, Artefact a, Config c, PrintStream err, FinishedRows provenance)
            throws IOException {
        String why = a.cannotRun();
        if (!why.isEmpty()) {
            err.println("report: " + a.name() + " not run: " + why);
            return a.notRun(why);
        }
        RunFolder dir = RunFolder.create(run.resolve(a.name()).toString(), name());
        FinishedRows runs = FinishedRows.open(dir, RUNS, List.of("run", "seconds"), List.of("run"));
        for (SubRun s : a.runs()) {
            if (runs.isFinished(s.folder())) {
                continue;
            }
            long t0 = System.nanoTime();
            record(provenance, a, s, Files.exists(dir.dir().resolve(s.folder()).resolve(RunFolder.CONFIG)) ? "resumed"
                    : "started");
            String failure = subRun(dir.dir(), s, c);
            if (!failure.isEmpty()) {
                err.println("report: " + a.name() + " not run: " + failure);
                return a.notRun(failure);
            }
            runs.add(s.folder(), (System.nanoTime() - t0) / 1e9);
            record(provenance, a, s, "finished");
        }
        List<Comparison> rows = a.compare(dir.dir());
        dir.writeCsv(ROWS, Comparison.table(rows));
        return rows;
    }

    /** One row of {@link #PROVENANCE}: this build and CPU did {@code event} to sub-run {@code s} now. */
    private static void record(FinishedRows provenance, Artefact a, SubRun s, String event) {
        BuildInfo b = BuildInfo.current();
        provenance.add(a.name(), s.folder(), event, java.time.Instant.now().toString(), b.commit(), b.jarSha256(), b.cpu());
    }

    /**
     * Runs one existing command in-process with its standard output and error sent to
     * {@code <folder>.log}; returns "" on success, else why it failed.
     */
    private static String subRun(Path artefactDir, SubRun s, Config c) throws IOException {
        Path folder = artefactDir.resolve(s.folder());
        List<String> args = new ArrayList<>();
        if (s.command().options().has(Resume.OPTION) && Files.exists(folder.resolve(RunFolder.CONFIG))) {
            args.add("--" + Resume.OPTION + "=" + folder);
            if (!c.device().equals("auto")) {
                args.add("--" + DeviceOption.OPTION + "=" + c.device());
            }
        } else {
            deleteTree(folder);
            args.addAll(s.withCommon(c.seed(), c.device()));
            if (!s.reuses().isEmpty()) {
                args.add("--" + Spectrum.REUSE_DRAWS + "=" + artefactDir.resolve(s.reuses()));
            }
            args.add("--out=" + folder);
        }
        PrintStream out = System.out;
        PrintStream err = System.err;
        try (OutputStream file = Files.newOutputStream(artefactDir.resolve(s.folder() + ".log"), StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING); PrintStream log = new PrintStream(file, true, StandardCharsets.UTF_8)) {
            System.setOut(log);
            System.setErr(log);
            log.println("$ " + s.command().name() + " " + String.join(" ", args));
            int status = Cli.execute(s.command(), args.toArray(String[]::new));
            return status == 0 ? "" : s.command().name() + " exited with status " + status + " (see " + s.folder() + ".log)";
        } catch (UserError | DataException | ntklc.report.RunFolderException e) {
            return s.command().name() + ": " + e.getMessage();
        } catch (NoSuchFileException e) {
            return s.command().name() + ": file not found: " + e.getFile();
        } catch (UncheckedIOException e) {
            return s.command().name() + ": " + e.getCause().getMessage();
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(s.command().name() + " failed inside the report", e);
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** One row per sub-run: artefact, run, networks, estimated seconds and the command that reproduces it. */
    static Table plan(List<Artefact> artefacts, Config c) {
        Table t = new Table("artefact", "run", "networks", "estimated_seconds", "sgemm_macs", "dgemm_macs",
                "fixed_seconds", "command");
        for (Artefact a : artefacts) {
            String why = a.cannotRun();
            for (SubRun s : a.runs()) {
                ReportEstimates.Work w = why.isEmpty() ? s.work() : ReportEstimates.Work.NONE;
                t.add(a.name(), s.folder(), why.isEmpty() ? s.networks() : 0, w.seconds(c.rates()), w.sgemmMacs(),
                        w.dgemmMacs(), w.fixedSeconds(), why.isEmpty() ? s.commandLine(c.seed(), c.device()) : "not run: " + why);
            }
        }
        return t;
    }

    /** The plan on standard output: one line per run with its networks and estimated time, then the commands. */
    private static void printPlan(Table plan, Config c) {
        double[] est = plan.doubles("estimated_seconds");
        double[] networks = plan.doubles("networks");
        StringBuilder sb = new StringBuilder();
        double[] sgemm = plan.doubles("sgemm_macs");
        double[] dgemm = plan.doubles("dgemm_macs");
        double[] fixed = plan.doubles("fixed_seconds");
        sb.append(String.format(Locale.ROOT, "%-13s %-13s %9s %10s %12s %12s %8s%n", "artefact", "run", "networks",
                "estimate", "SGEMM-eq.", "DGEMM-eq.", "fixed s"));
        for (int i = 0; i < plan.size(); i++) {
            sb.append(String.format(Locale.ROOT, "%-13s %-13s %9d %10s %12.3g %12.3g %8.0f%n", plan.text(i, "artefact"),
                    plan.text(i, "run"), (int) networks[i], clock(est[i]), sgemm[i], dgemm[i], fixed[i]));
        }
        sb.append(String.format(Locale.ROOT, "estimated total: %s at --scale=%s, %d runs, %d networks or weight draws%n"
                + "%s%n%ncommands:%n", clock(java.util.Arrays.stream(est).sum()), c.scale().word(), plan.size(),
                (int) java.util.Arrays.stream(networks).sum(), ReportEstimates.basis(c.rates())));
        for (int i = 0; i < plan.size(); i++) {
            sb.append("  ").append(plan.text(i, "artefact")).append('/').append(plan.text(i, "run")).append(": ")
                    .append(plan.text(i, "command")).append('\n');
        }
        System.out.print(sb);
    }

    /** Verdict counts and seconds per artefact (the summary table of report.md). */
    static Table counts(List<Artefact> artefacts, List<Comparison> rows, Map<String, Timing> seconds) {
        Table t = new Table("artefact", "reproduced", "deviates", "not_run", "seconds", "cpu_seconds");
        Timing sum = new Timing(0, 0);
        int[] total = new int[3];
        for (Artefact a : artefacts) {
            int[] n = new int[3];
            for (Comparison r : rows) {
                if (r.artefact().equals(a.name())) {
                    n[r.verdict().ordinal()]++;
                }
            }
            for (int i = 0; i < 3; i++) {
                total[i] += n[i];
            }
            Timing s = seconds.getOrDefault(a.name(), Timing.NONE);
            sum = sum.plus(s);
            t.add(a.name(), n[0], n[1], n[2], s.wall(), s.cpu());
        }
        t.add("total", total[0], total[1], total[2], sum.wall(), sum.cpu());
        return t;
    }

    /**
     * The builds that computed each artefact, from the {@link #PROVENANCE} rows: the distinct
     * commits (with their jar digests) in the order they first worked on it, and "not recorded"
     * for the sub-runs that its {@link #RUNS} table holds finished but no provenance row names (a
     * build that kept no provenance finished them).
     */
    static Map<String, String> commitsByArtefact(List<Artefact> artefacts, Table provenance, Path runDir)
            throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        for (Artefact a : artefacts) {
            java.util.LinkedHashSet<String> builds = new java.util.LinkedHashSet<>();
            Set<String> named = new java.util.HashSet<>();
            for (int i = 0; i < provenance.size(); i++) {
                if (provenance.text(i, "artefact").equals(a.name())) {
                    builds.add(provenance.text(i, "commit") + " (jar " + provenance.text(i, "jar_sha256") + ")");
                    named.add(provenance.text(i, "run"));
                }
            }
            List<String> unrecorded = new ArrayList<>();
            Path runs = runDir.resolve(a.name()).resolve(RUNS);
            if (Files.exists(runs)) {
                Table t = Table.readCsv(runs);
                for (int i = 0; i < t.size(); i++) {
                    if (!named.contains(t.text(i, "run"))) {
                        unrecorded.add(t.text(i, "run"));
                    }
                }
            }
            if (!unrecorded.isEmpty()) {
                builds.add("not recorded (" + String.join(", ", unrecorded) + ")");
            }
            out.put(a.name(), builds.isEmpty() ? "—" : String.join(", ", builds));
        }
        return out;
    }

    /** The UTC day of the latest provenance row, or today's for a folder without provenance. */
    private static String lastDay(Table provenance) {
        String last = "";
        for (int i = 0; i < provenance.size(); i++) {
            String utc = provenance.text(i, "utc");
            last = utc.compareTo(last) > 0 ? utc : last;
        }
        return last.length() >= 10 ? last.substring(0, 10) : java.time.LocalDate.now(java.time.ZoneOffset.UTC).toString();
    }

    /** The distinct values of {@code column} in the provenance rows, in order of appearance; {@code fallback} if none. */
    private static String distinct(Table provenance, String column, String fallback) {
        java.util.LinkedHashSet<String> v = new java.util.LinkedHashSet<>();
        for (int i = 0; i < provenance.size(); i++) {
            v.add(provenance.text(i, column));
        }
        return v.isEmpty() ? fallback : String.join("; ", v);
    }

    private static ReportDocument document(List<Artefact> artefacts, List<Comparison> rows, Map<String, Timing> seconds,
                                           Map<String, List<String>> charts, Config c, double loadStart, double loadEnd,
                                           Table provenance, Path runDir) throws IOException {
        ReportDocument doc = new ReportDocument("\"Lossless\" compression of deep neural networks (NTK-LC): paper vs measured");
        Table counts = counts(artefacts, rows, seconds);
        int last = counts.size() - 1;
        BuildInfo build = BuildInfo.current();
        Map<String, String> commits = commitsByArtefact(artefacts, provenance, runDir);
        boolean unrecorded = commits.values().stream().anyMatch(v -> v.contains("not recorded"));
        doc.paragraph("Written " + java.time.LocalDate.now(java.time.ZoneOffset.UTC) + " (UTC) by commit " + build.commit()
                + " (jar " + build.jarSha256() + "). Computed by commit(s) " + distinct(provenance, "commit", build.commit())
                + (unrecorded ? " and by builds that recorded no provenance" : "") + " on " + distinct(provenance, "cpu", build.cpu()) + " (per artefact below; `" + PROVENANCE + "` of the "
                + "run folder says which build started, resumed and finished each run). Time: " + clock(counts.doubles(
                "seconds")[last]) + " wall, " + clock(counts.doubles("cpu_seconds")[last]) + " CPU. Verdicts: "
                + counts.text(last, "reproduced") + " reproduced, " + counts.text(last, "deviates") + " deviate, "
                + counts.text(last, "not_run") + " not run.");
        doc.paragraph("Scale `" + c.scale().word() + "`, seed " + c.seed() + ". Each row compares a measured number with "
                + "the paper's (or, where the paper prints none, with the theory's, as its note says); the verdict is "
                + "**reproduced** when |deviation| ≤ tolerance, **deviates** otherwise, **not-run** when nothing was "
                + "measured. The tolerances are explained in docs/report.md. The project's own NTK-LC variant `"
                + ReportArtefacts.BEST_LABEL + "` (`--variant=" + ReportArtefacts.BEST_VARIANT + "`) has its own rows, "
                + "compared with the paper's NTK-LC.");
        List<List<String>> summary = new ArrayList<>();
        for (int i = 0; i < counts.size(); i++) {
            summary.add(List.of(counts.text(i, "artefact"), counts.text(i, "reproduced"), counts.text(i, "deviates"),
                    counts.text(i, "not_run"), clock(counts.doubles("seconds")[i]), clock(counts.doubles("cpu_seconds")[i]),
                    commits.getOrDefault(counts.text(i, "artefact"), "")));
        }
        doc.heading(2, "Summary");
        doc.paragraph(String.format(Locale.ROOT, "%d available processors, load average %.1f at the start and %.1f at the "
                + "end of this run (artefacts kept from an earlier run keep their times). CPU time is this JVM's; on a "
                + "shared machine it says more than the wall time.", Runtime.getRuntime().availableProcessors(),
                loadStart, loadEnd));
        doc.table(List.of("artefact", "reproduced", "deviates", "not-run", "time", "CPU time", "computed by"), summary);
        for (Artefact a : artefacts) {
            doc.append(section(a, rows, seconds.get(a.name()), charts.getOrDefault(a.name(), List.of()), c));
        }
        return doc;
    }

    /**
     * One artefact's section: heading, reduction, the commands that reproduce it alone, its
     * paper-vs-measured table and its charts (paths relative to the run folder).
     */
    private static ReportDocument section(Artefact a, List<Comparison> rows, Timing time, List<String> charts, Config c) {
        ReportDocument doc = new ReportDocument(a.name());
        doc.heading(2, a.name() + ": " + a.title());
        if (!a.reduced().isEmpty()) {
            doc.paragraph("Reduced: " + a.reduced() + ".");
        }
        String why = a.cannotRun();
        if (why.isEmpty()) {
            doc.paragraph("Reproduce this artefact alone (time here: " + clock(time == null ? Double.NaN : time.wall())
                    + ", estimate " + clock(estimate(a, c.rates())) + "):");
            StringBuilder cmds = new StringBuilder();
            for (SubRun s : a.runs()) {
                cmds.append(cmds.length() == 0 ? "" : "\n").append(s.commandLine(c.seed(), c.device()));
            }
            doc.code(cmds.toString());
        } else {
            doc.paragraph("Not run: " + why + ".");
        }
        List<List<String>> table = new ArrayList<>();
        for (Comparison r : rows) {
            if (r.artefact().equals(a.name())) {
                table.add(List.of(r.item(), r.metric(), num(r.paper()), num(r.measured()), num(r.deviation()),
                        num(r.tolerance()), r.verdict().word(), shortNote(r.note(), a.reduced())));
            }
        }
        doc.table(List.of("item", "metric", "paper", "measured", "deviation", "tolerance", "verdict", "note"), table);
        for (String png : charts) {
            doc.image(a.name() + "/" + png, a.name() + " " + png);
        }
        return doc;
    }

    /**
     * The artefacts of this run that finished (no {@code not-run} row) as sections to publish,
     * each with its rows, time, builds and CPU.
     */
    private static List<ReportPublisher.Section> sections(List<Artefact> artefacts, List<Comparison> rows,
                                                          Map<String, Timing> seconds, Map<String, List<String>> charts,
                                                          Config c, Table provenance, Path runDir) throws IOException {
        Map<String, String> commits = commitsByArtefact(artefacts, provenance, runDir);
        List<ReportPublisher.Section> out = new ArrayList<>();
        for (Artefact a : artefacts) {
            List<Comparison> own = rows.stream().filter(r -> r.artefact().equals(a.name())).toList();
            if (own.isEmpty() || own.stream().anyMatch(r -> r.verdict() == Comparison.Verdict.NOT_RUN)) {
                continue;
            }
            Timing t = seconds.getOrDefault(a.name(), Timing.NONE);
            Table mine = new Table(PROVENANCE_COLUMNS);
            for (int i = 0; i < provenance.size(); i++) {
                if (provenance.text(i, "artefact").equals(a.name())) {
                    mine.add(provenance.rows().get(i).toArray());
                }
            }
            out.add(new ReportPublisher.Section(a.name(), section(a, rows, t, charts.getOrDefault(a.name(), List.of()), c),
                    own, t, commits.get(a.name()), distinct(mine, "cpu", BuildInfo.current().cpu()),
                    lastDay(mine)));
        }
        return out;
    }

    /** The note without the reduction prefix, which the section states once. */
    private static String shortNote(String note, String reduced) {
        return !reduced.isEmpty() && note.startsWith(reduced) ? note.substring(reduced.length()).replaceFirst("^; ", "")
                : note;
    }

    private static String num(double v) {
        return Double.isNaN(v) ? "" : Table.formatNumber(v, 4);
    }

    static String clock(double seconds) {
        if (Double.isNaN(seconds)) {
            return "?";
        }
        long s = Math.round(seconds);
        return String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
    }
}
