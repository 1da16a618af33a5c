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

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ntklc.cli.UserError;
import ntklc.report.ReportDocument;

/** {@code report --publish}: the Markdown with rewritten links and the downscaled charts beside it. */
class ReportPublisherTest {
    @TempDir
    Path dir;

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

    @Test
    void publishesTheDocumentWithItsChartsDownscaledBesideIt() throws Exception {
        Path run = dir.resolve("run");
        chart(run.resolve("fig2-left").resolve("spectrum.png"), 1000, 650);
        chart(run.resolve("table1").resolve("accuracy.png"), 500, 300);
        ReportDocument doc = new ReportDocument("title").paragraph("text")
                .image("fig2-left/spectrum.png", "spectrum").image("table1/accuracy.png", "accuracy");
        Path file = dir.resolve("docs").resolve("paper-report.md");
        Path charts = dir.resolve("docs").resolve("paper-report");
        Files.createDirectories(charts);
        Files.writeString(charts.resolve("stale.png"), "from an earlier publication");
        Files.writeString(charts.resolve("notes.txt"), "not ours to remove");

        assertEquals(file, ReportPublisher.publish(doc, run, file));
        String md = Files.readString(file);
        assertTrue(md.contains("![spectrum](paper-report/fig2-left-spectrum.png)"), md);
        assertTrue(md.contains("![accuracy](paper-report/table1-accuracy.png)"), md);
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
        // the run folder's own report keeps its links to the full-size charts
        assertTrue(doc.markdown().contains("](fig2-left/spectrum.png)"));
    }

    private static void assertClose(Color expected, Color actual) {
        assertTrue(Math.abs(expected.getRed() - actual.getRed()) <= 8 && Math.abs(expected.getGreen() - actual.getGreen()) <= 8
                && Math.abs(expected.getBlue() - actual.getBlue()) <= 8, expected + " vs " + actual);
    }

    @Test
    void refusesAFileThatIsNotMarkdown() {
        ReportDocument doc = new ReportDocument("t");
        assertThrows(UserError.class, () -> ReportPublisher.publish(doc, dir, dir.resolve("report.html")));
    }
}
