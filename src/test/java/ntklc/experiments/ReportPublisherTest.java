package ntklc.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ntklc.cli.UserError;
import ntklc.experiments.ReportArtefacts.Artefact;
import ntklc.report.Comparison;
import ntklc.report.ReportDocument;
import ntklc.report.Table;

/**
 * {@code report --publish}: the sections with rewritten links and the downscaled charts beside
 * them, and a document assembled over several publications (each expected text follows from the
 * sections and rows the test publishes).
 */
class ReportPublisherTest {
    @TempDir
    Path dir;

    private static final List<Artefact> ARTEFACTS = ReportArtefacts.all(ReportArtefacts.Scale.SMOKE, "");

    private static void chart(Path png, int w, int h) throws Exception {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        g.setColor(Color.BLUE);
        g.fillRect(0, 0, w / 2, h);
        g.dispose();
        Files.createDirectories(png.getParent());
        ImageIO.write(img, "png", png.toFile());
    }

    /** A section of {@code artefact} holding {@code text} and one chart, with one row whose measured value is {@code measured}. */
    private static ReportPublisher.Section section(String artefact, String text, String png, double measured) {
        ReportDocument body = new ReportDocument(artefact).heading(2, artefact).paragraph(text);
        if (!png.isEmpty()) {
            body.image(artefact + "/" + png, artefact + " " + png);
        }
        Comparison row = Comparison.compare(artefact, "item", "metric", 1.0, measured, measured - 1.0, 0.1, "");
        return new ReportPublisher.Section(artefact, body, List.of(row), new Report.Timing(60, 100), "abc1234 (jar 0f0f)",
                "Test CPU", "2026-12-08");
    }

    @Test
    void publishesTheSectionsWithTheirChartsDownscaledBesideThem() throws Exception {
        Path run = dir.resolve("run");
        chart(run.resolve("fig2-left").resolve("spectrum.png"), 1000, 650);
        chart(run.resolve("table1").resolve("accuracy.png"), 500, 300);
        Path file = dir.resolve("docs").resolve("paper-report.md");
        Path charts = dir.resolve("docs").resolve("paper-report");
        Files.createDirectories(charts);
        Files.writeString(charts.resolve("stale.png"), "from an earlier publication");
        Files.writeString(charts.resolve("notes.txt"), "not ours to remove");

        assertEquals(file, ReportPublisher.publish(List.of(section("fig2-left", "left text", "spectrum.png", 1.0),
                section("table1", "table text", "accuracy.png", 1.5)), ARTEFACTS, "smoke", 1, run, file));
        String md = Files.readString(file);
        assertTrue(md.contains("![fig2-left spectrum.png](paper-report/fig2-left-spectrum.png)"), md);
        assertTrue(md.contains("![table1 accuracy.png](paper-report/table1-accuracy.png)"), md);
        // 1000×650 → 640 wide, height 650·640/1000 = 416; a chart already narrower keeps its size.
        BufferedImage big = ImageIO.read(charts.resolve("fig2-left-spectrum.png").toFile());
        assertEquals(ReportPublisher.MAX_WIDTH, big.getWidth());
        assertEquals(416, big.getHeight());
        // the left half stays blue, the right half white, after the scaling and the 256-colour palette
        // (whose nearest colours to pure blue and white are within 8 levels per channel)
        assertClose(Color.BLUE, new Color(big.getRGB(100, 200)));
        assertClose(Color.WHITE, new Color(big.getRGB(540, 200)));
        BufferedImage small = ImageIO.read(charts.resolve("table1-accuracy.png").toFile());
        assertEquals(500, small.getWidth());
        assertEquals(300, small.getHeight());
        assertFalse(Files.exists(charts.resolve("stale.png")), "an unlinked PNG of an earlier publication is removed");
        assertTrue(Files.exists(charts.resolve("notes.txt")), "only PNGs are the document's");
        // two of the report's artefacts published: 1 reproduced (|1.0 − 1| ≤ 0.1), 1 deviating (0.5 > 0.1)
        assertTrue(md.contains("from 2 of " + ARTEFACTS.size() + " artefacts"), md);
        assertTrue(md.contains("Verdicts: 1 reproduced, 1 deviate, 0 not run."), md);
        assertTrue(md.contains("| fig2-left | 1 | 0 | 0 | 0:01:00 | 0:01:40 | abc1234 (jar 0f0f) | Test CPU | 2026-12-08 |"), md);
        assertTrue(md.contains("## fig2-right: ") && md.contains("--only=fig2-right --publish=" + file + "`"),
                "an artefact not published says how to compute it\n" + md);
        assertTrue(md.indexOf("left text") < md.indexOf("## fig2-right") && md.indexOf("## fig2-right") < md.indexOf(
                "table text"), "sections in the report's order\n" + md);
    }

    @Test
    void aLaterPublicationAddsItsArtefactsAndKeepsTheOthers() throws Exception {
        Path runA = dir.resolve("a");
        Path runB = dir.resolve("b");
        chart(runA.resolve("fig2-left").resolve("spectrum.png"), 300, 200);
        chart(runA.resolve("table1").resolve("accuracy.png"), 300, 200);
        chart(runB.resolve("table1").resolve("other.png"), 300, 200);
        Path file = dir.resolve("paper-report.md");
        Path folder = dir.resolve("paper-report");
        ReportPublisher.publish(List.of(section("fig2-left", "first left", "spectrum.png", 1.0),
                section("table1", "first table", "accuracy.png", 1.0)), ARTEFACTS, "paper", 7, runA, file);
        // a second run, elsewhere, finished table1 again (another chart) and fig4-6v8 (none)
        ReportPublisher.publish(List.of(section("table1", "second table", "other.png", 3.0),
                section("fig4-6v8", "second fig4", "", 1.05)), ARTEFACTS, "paper", 7, runB, file);

        String md = Files.readString(file);
        assertTrue(md.contains("first left") && md.contains("second table") && md.contains("second fig4"), md);
        assertFalse(md.contains("first table"), "table1 replaced by the later run\n" + md);
        assertTrue(Files.exists(folder.resolve("fig2-left-spectrum.png")), "a kept section keeps its chart");
        assertTrue(Files.exists(folder.resolve("table1-other.png")));
        assertFalse(Files.exists(folder.resolve("table1-accuracy.png")), "the replaced section's chart is removed");
        List<Comparison> rows = Comparison.fromTable(Table.readCsv(folder.resolve(ReportPublisher.ROWS)));
        assertEquals(List.of("fig2-left", "fig4-6v8", "table1"), rows.stream().map(Comparison::artefact).toList(),
                "one row per artefact, in the report's order");
        assertEquals(3.0, rows.get(2).measured());
        assertTrue(md.contains("from 3 of ") && md.contains("Verdicts: 2 reproduced, 1 deviate, 0 not run."), md);
        assertTrue(md.contains("| total | 2 | 1 | 0 | 0:03:00 | 0:05:00 |"), md);
        // a run of another scale or seed is refused, and the document is left as it was
        UserError e = assertThrows(UserError.class, () -> ReportPublisher.publish(List.of(section("fig2-right", "x", "",
                1.0)), ARTEFACTS, "quick", 7, runA, file));
        assertTrue(e.getMessage().contains("--scale=paper --seed=7"), e.getMessage());
        assertThrows(UserError.class, () -> ReportPublisher.publish(List.of(), ARTEFACTS, "paper", 8, runA, file));
        assertEquals(md, Files.readString(file));
    }

    private static void assertClose(Color expected, Color actual) {
        assertTrue(Math.abs(expected.getRed() - actual.getRed()) <= 8 && Math.abs(expected.getGreen() - actual.getGreen()) <= 8
                && Math.abs(expected.getBlue() - actual.getBlue()) <= 8, expected + " vs " + actual);
    }

    @Test
    void refusesAFileThatIsNotMarkdown() {
        assertThrows(UserError.class, () -> ReportPublisher.publish(List.of(), ARTEFACTS, "smoke", 1, dir,
                dir.resolve("report.html")));
    }
}
