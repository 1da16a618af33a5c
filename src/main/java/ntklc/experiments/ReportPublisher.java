package ntklc.experiments;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import javax.imageio.ImageIO;

import ntklc.cli.UserError;
import ntklc.experiments.ReportArtefacts.Artefact;
import ntklc.report.AtomicFiles;
import ntklc.report.BuildInfo;
import ntklc.report.Comparison;
import ntklc.report.ReportDocument;
import ntklc.report.Table;

/**
 * {@code report --publish=FILE}: the report as a document to commit (e.g. {@code docs/paper-report.md}),
 * assembled artefact by artefact so that a paper-scale report, hours long, can be computed in
 * pieces ({@code --only}) on different machines and days and still end as one document.
 *
 * <p>The folder named like FILE without {@code .md} ({@code docs/paper-report/}) belongs to the
 * document and holds everything it is assembled from: one section per published artefact
 * ({@code <artefact>.section.md}, the run's section with its image links rewritten), its charts
 * downscaled to at most {@link #MAX_WIDTH} pixels wide ({@code <artefact>-<chart>.png}), every
 * compared number ({@code report.csv}, the run's columns) and a row per artefact saying when, by
 * which build and on which CPU it was computed, in how long ({@code artefacts.csv}). Publishing a
 * run replaces the artefacts it finished and keeps the others; an artefact the run did not finish
 * ({@code not-run} rows) is never published over a finished one. The document says, per artefact,
 * what is not published yet and the command that computes it. All artefacts of one document share
 * one scale and one seed: publishing another is refused. Every file is written atomically; PNGs in
 * the folder that no section links are removed.
 */
final class ReportPublisher {
    /** Width of a published chart in pixels: the charts are drawn at 900–1000, readable at this width too. */
    static final int MAX_WIDTH = 640;
    /** In the chart folder: one row per published artefact. */
    static final String ARTEFACTS = "artefacts.csv";
    /** In the chart folder: the compared numbers of every published artefact. */
    static final String ROWS = "report.csv";
    /** In the chart folder: an artefact's section, {@code <artefact>} + this. */
    static final String SECTION = ".section.md";
    static final List<String> ARTEFACT_COLUMNS = List.of("artefact", "scale", "seed", "seconds", "cpu_seconds",
            "computed_by", "cpu", "computed_utc_day");

    /**
     * One finished artefact of a run: its section (image paths relative to the run folder), its
     * compared numbers, its wall and CPU time, the builds that computed it, on which CPU(s), and
     * the UTC day it finished.
     */
    record Section(String artefact, ReportDocument body, List<Comparison> rows, Report.Timing time, String computedBy,
                   String cpu, String day) {
    }

    private ReportPublisher() {
    }

    /** The chart folder of {@code file}: its name without {@code .md}, beside it. */
    static Path chartFolder(Path file) {
        String name = file.getFileName().toString();
        return file.resolveSibling(name.endsWith(".md") ? name.substring(0, name.length() - 3) : name + "-charts");
    }

    /**
     * Publishes {@code sections} into {@code file} and its folder, keeping the artefacts published
     * there before and not in {@code sections}, and writes {@code file} for all of {@code artefacts}
     * (the report's artefacts in order, published or not).
     *
     * @param scale  the run's {@code --scale}
     * @param seed   the run's {@code --seed}
     * @param runDir the run folder, which {@code sections}' image paths are relative to
     * @return {@code file}
     * @throws UserError when {@code file} does not end in {@code .md}, a chart cannot be read, or the
     *                   document holds artefacts of another scale or seed
     */
    static Path publish(List<Section> sections, List<Artefact> artefacts, String scale, long seed, Path runDir,
                        Path file) throws IOException {
        Path folder = chartFolder(file);
        Map<String, List<Object>> published = new LinkedHashMap<>();
        Table t = check(file, scale, seed);
        for (int i = 0; i < t.size(); i++) {
            published.put(t.text(i, "artefact"), t.rows().get(i));
        }
        List<Comparison> rows = new ArrayList<>();
        if (t.size() > 0) {
            rows.addAll(Comparison.fromTable(Table.readCsv(folder.resolve(ROWS))));
        }
        Files.createDirectories(folder);
        String link = folder.getFileName().toString();
        for (Section s : sections) {
            for (String png : s.body().imagePaths()) {
                BufferedImage image = ImageIO.read(runDir.resolve(png).toFile());
                if (image == null) {
                    throw new UserError("report: --publish: cannot read the chart " + runDir.resolve(png));
                }
                BufferedImage small = indexed(downscale(image, MAX_WIDTH));
                AtomicFiles.write(folder.resolve(flatName(png)), out -> ImageIO.write(small, "png", out));
            }
            String md = s.body().markdownBody(png -> link + "/" + flatName(png));
            AtomicFiles.write(folder.resolve(s.artefact() + SECTION), out -> out.write(md.getBytes(StandardCharsets.UTF_8)));
            rows.removeIf(r -> r.artefact().equals(s.artefact()));
            rows.addAll(s.rows());
            published.put(s.artefact(), List.of(s.artefact(), scale, seed, s.time().wall(), s.time().cpu(),
                    s.computedBy(), s.cpu(), s.day()));
        }
        // rows and artefacts in the report's order
        List<String> order = artefacts.stream().map(Artefact::name).toList();
        rows.sort(Comparator.comparingInt(r -> rank(order, r.artefact())));
        Table table = new Table(ARTEFACT_COLUMNS);
        published.keySet().stream().sorted(Comparator.comparingInt(a -> rank(order, a)))
                .forEach(a -> table.add(published.get(a).toArray()));
        AtomicFiles.write(folder.resolve(ROWS), Comparison.table(rows)::writeCsv);
        AtomicFiles.write(folder.resolve(ARTEFACTS), table::writeCsv);

        StringBuilder md = new StringBuilder();
        md.append(document(artefacts, table, rows, scale, seed, file).markdown());
        Set<String> linked = new HashSet<>();
        Pattern chartLink = Pattern.compile("\\]\\(" + Pattern.quote(link) + "/([^)]+\\.png)\\)");
        for (Artefact a : artefacts) {
            Path section = folder.resolve(a.name() + SECTION);
            if (published.containsKey(a.name()) && Files.exists(section)) {
                String text = Files.readString(section, StandardCharsets.UTF_8);
                md.append(text);
                Matcher m = chartLink.matcher(text);
                while (m.find()) {
                    linked.add(m.group(1));
                }
            } else {
                md.append("## ").append(a.name()).append(": ").append(a.title()).append("\n\n")
                        .append("Not published yet. `java ").append(scale.equals("paper") ? "-Xmx16g " : "")
                        .append("-jar target/ntk-lc.jar report --scale=").append(scale).append(" --seed=").append(seed)
                        .append(" --only=").append(a.name()).append(" --publish=").append(file)
                        .append("` computes it and adds it here")
                        .append(a.cannotRun().isEmpty() ? "" : "; it " + a.cannotRun()).append(".\n\n");
            }
        }
        AtomicFiles.write(file, out -> out.write(md.toString().getBytes(StandardCharsets.UTF_8)));
        try (Stream<Path> old = Files.list(folder)) {
            for (Path p : old.toList()) {
                String n = p.getFileName().toString();
                if (n.endsWith(".png") && !linked.contains(n)) {
                    Files.delete(p);
                }
            }
        }
        return file;
    }

    /**
     * Checks, before anything is computed, that a run of {@code scale} and {@code seed} may be
     * published into {@code file}.
     *
     * @return the artefacts published there so far (none for a new document)
     * @throws UserError when {@code file} does not end in {@code .md} or holds artefacts of another
     *                   scale or seed
     */
    static Table check(Path file, String scale, long seed) throws IOException {
        if (!file.getFileName().toString().endsWith(".md")) {
            throw new UserError("report: --publish=" + file + ": a Markdown file name ending in .md");
        }
        Path index = chartFolder(file).resolve(ARTEFACTS);
        if (!Files.exists(index)) {
            return new Table(ARTEFACT_COLUMNS);
        }
        Table t = Table.readCsv(index);
        for (int i = 0; i < t.size(); i++) {
            if (!t.text(i, "scale").equals(scale) || !t.text(i, "seed").equals(Long.toString(seed))) {
                throw new UserError("report: --publish=" + file + " holds " + t.text(i, "artefact") + " at --scale="
                        + t.text(i, "scale") + " --seed=" + t.text(i, "seed") + ", this run is --scale=" + scale
                        + " --seed=" + seed + ": publish it into another file");
            }
        }
        return t;
    }

    private static int rank(List<String> order, String artefact) {
        int i = order.indexOf(artefact);
        return i < 0 ? order.size() : i;
    }

    /** The title, the provenance paragraph and the summary table of the assembled document. */
    private static ReportDocument document(List<Artefact> artefacts, Table published, List<Comparison> rows,
                                           String scale, long seed, Path file) {
        ReportDocument doc = new ReportDocument("\"Lossless\" compression of deep neural networks (NTK-LC): paper vs measured");
        List<Artefact> done = new ArrayList<>();
        Map<String, Report.Timing> times = new LinkedHashMap<>();
        Set<String> cpus = new LinkedHashSet<>();
        Set<String> days = new TreeSet<>();
        for (Artefact a : artefacts) {
            int i = indexOf(published, a.name());
            if (i >= 0) {
                done.add(a);
                times.put(a.name(), new Report.Timing(published.doubles("seconds")[i], published.doubles("cpu_seconds")[i]));
                cpus.add(published.text(i, "cpu"));
                days.add(published.text(i, "computed_utc_day"));
            }
        }
        Table counts = Report.counts(done, rows, times);
        List<List<String>> summary = new ArrayList<>();
        for (Artefact a : artefacts) {
            int i = indexOf(published, a.name());
            int k = indexOf(counts, a.name());
            summary.add(i < 0 ? List.of(a.name(), "", "", "", "", "", "not published yet", "", "")
                    : List.of(a.name(), counts.text(k, "reproduced"), counts.text(k, "deviates"), counts.text(k, "not_run"),
                    Report.clock(counts.doubles("seconds")[k]), Report.clock(counts.doubles("cpu_seconds")[k]),
                    published.text(i, "computed_by"), published.text(i, "cpu"), published.text(i, "computed_utc_day")));
        }
        int last = counts.size() - 1;
        double wall = counts.doubles("seconds")[last];
        double cpu = counts.doubles("cpu_seconds")[last];
        summary.add(List.of("total", counts.text(last, "reproduced"), counts.text(last, "deviates"),
                counts.text(last, "not_run"), Report.clock(wall), Report.clock(cpu), "", "", ""));
        doc.paragraph("Assembled " + LocalDate.now(ZoneOffset.UTC) + " (UTC) by commit "
                + BuildInfo.current().commit() + " from " + done.size() + " of " + artefacts.size()
                + " artefacts, computed at `--scale=" + scale + "`, seed " + seed + ", on " + (cpus.isEmpty() ? "—"
                : String.join("; ", cpus)) + (days.isEmpty() ? "" : ", " + String.join(", ", days)) + " (UTC). Time: "
                + Report.clock(wall) + " wall, " + Report.clock(cpu) + " CPU. Verdicts: " + counts.text(last, "reproduced")
                + " reproduced, " + counts.text(last, "deviates") + " deviate, " + counts.text(last, "not_run") + " not run.");
        doc.paragraph("Each row compares a measured number with the paper's (or, where the paper prints none, with the "
                + "theory's, as its note says); the verdict is **reproduced** when |deviation| ≤ tolerance, **deviates** "
                + "otherwise, **not-run** when nothing was measured. The tolerances are explained in docs/report.md. The "
                + "project's own NTK-LC variant `" + ReportArtefacts.BEST_LABEL + "` (`--variant="
                + ReportArtefacts.BEST_VARIANT + "`) has its own rows, compared with the paper's NTK-LC. The document is "
                + "assembled artefact by artefact (`report --publish`, docs/report.md): the summary says which build "
                + "computed each one, on which CPU and when; `" + chartFolder(file).getFileName() + "/report.csv` holds "
                + "every number.");
        doc.heading(2, "Summary");
        doc.table(List.of("artefact", "reproduced", "deviates", "not-run", "time", "CPU time", "computed by", "CPU",
                "finished (UTC)"), summary);
        return doc;
    }

    private static int indexOf(Table t, String artefact) {
        for (int i = 0; i < t.size(); i++) {
            if (t.text(i, "artefact").equals(artefact)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * {@code image} in 8-bit colour (Java's default 256-colour palette: a 6×6×6 colour cube and
     * greys), undithered: a chart's flat colours and anti-aliased lines lose little, and the PNG is
     * about a third of its RGB size.
     */
    static BufferedImage indexed(BufferedImage image) {
        BufferedImage out = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_BYTE_INDEXED);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_DITHERING, RenderingHints.VALUE_DITHER_DISABLE);
        g.drawImage(image, 0, 0, null);
        g.dispose();
        return out;
    }

    /** {@code artefact/chart.png} as one file name, {@code artefact-chart.png}. */
    static String flatName(String png) {
        return String.join("-", List.of(png.split("/")));
    }

    /**
     * {@code image} scaled to at most {@code maxWidth} pixels wide (aspect kept; never enlarged), in
     * RGB, drawn with bicubic interpolation and then halved steps so that thin chart lines survive.
     */
    static BufferedImage downscale(BufferedImage image, int maxWidth) {
        BufferedImage current = image;
        int w = image.getWidth();
        int h = image.getHeight();
        int targetW = Math.min(w, maxWidth);
        int targetH = Math.max(1, (int) Math.round((double) h * targetW / w));
        do {
            // halve until within 2× of the target, then the last step: each step averages ≤ 2×2 pixels
            int nextW = Math.max(targetW, w / 2);
            int nextH = nextW == targetW ? targetH : Math.max(targetH, h / 2);
            BufferedImage next = new BufferedImage(nextW, nextH, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = next.createGraphics();
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            g.drawImage(current, 0, 0, nextW, nextH, java.awt.Color.WHITE, null);
            g.dispose();
            current = next;
            w = nextW;
            h = nextH;
        } while (w > targetW);
        return current;
    }
}
