package ntklc.experiments;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import javax.imageio.ImageIO;

import ntklc.cli.UserError;
import ntklc.report.AtomicFiles;
import ntklc.report.ReportDocument;

/**
 * {@code report --publish=FILE}: the report of a run folder as a document to commit (e.g.
 * {@code docs/paper-report.md}): the same Markdown as the run's {@code report.md}, its charts
 * downscaled to at most {@link #MAX_WIDTH} pixels wide into the folder named like FILE without
 * {@code .md} ({@code docs/paper-report/<artefact>-<chart>.png}), and the image links rewritten to
 * them. Every file is written atomically; PNGs left in that folder by an earlier publication and no
 * longer linked are removed (the folder belongs to the document).
 */
final class ReportPublisher {
    /** Width of a published chart in pixels: the charts are drawn at 900–1000, readable at this width too. */
    static final int MAX_WIDTH = 640;

    private ReportPublisher() {
    }

    /** The chart folder of {@code file}: its name without {@code .md}, beside it. */
    static Path chartFolder(Path file) {
        String name = file.getFileName().toString();
        return file.resolveSibling(name.endsWith(".md") ? name.substring(0, name.length() - 3) : name + "-charts");
    }

    /**
     * Writes {@code file} and its chart folder from {@code doc}, whose image paths are relative to
     * {@code runDir}.
     *
     * @return {@code file}
     * @throws UserError when {@code file} does not end in {@code .md} or a chart cannot be read
     */
    static Path publish(ReportDocument doc, Path runDir, Path file) throws IOException {
        if (!file.getFileName().toString().endsWith(".md")) {
            throw new UserError("report: --publish=" + file + ": a Markdown file name ending in .md");
        }
        Path charts = chartFolder(file);
        Files.createDirectories(charts);
        Set<String> written = new HashSet<>();
        for (String png : doc.imagePaths()) {
            String flat = flatName(png);
            BufferedImage image = ImageIO.read(runDir.resolve(png).toFile());
            if (image == null) {
                throw new UserError("report: --publish: cannot read the chart " + runDir.resolve(png));
            }
            BufferedImage small = indexed(downscale(image, MAX_WIDTH));
            AtomicFiles.write(charts.resolve(flat), out -> ImageIO.write(small, "png", out));
            written.add(flat);
        }
        try (Stream<Path> old = Files.list(charts)) {
            for (Path p : old.toList()) {
                String n = p.getFileName().toString();
                if (n.endsWith(".png") && !written.contains(n)) {
                    Files.delete(p);
                }
            }
        }
        String folder = charts.getFileName().toString();
        String md = doc.markdown(png -> folder + "/" + flatName(png));
        AtomicFiles.write(file, out -> out.write(md.getBytes(StandardCharsets.UTF_8)));
        return file;
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
