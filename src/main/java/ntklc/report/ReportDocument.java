package ntklc.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * A document made of headings, paragraphs, code blocks, tables and PNG images, rendered two ways:
 * Markdown (images linked by their path relative to the run folder) and one self-contained HTML
 * page (images embedded as {@code data:image/png;base64} URIs, inline CSS, no script, nothing
 * fetched from the network).
 */
public final class ReportDocument {
    private sealed interface Block permits Heading, Paragraph, Code, TableBlock, Image {
    }

    private record Heading(int level, String text) implements Block {
    }

    private record Paragraph(String text) implements Block {
    }

    private record Code(String text) implements Block {
    }

    private record TableBlock(List<String> header, List<List<String>> rows) implements Block {
    }

    /** {@code path} is relative to the run folder. */
    private record Image(String path, String alt) implements Block {
    }

    private final String title;
    private final List<Block> blocks = new ArrayList<>();

    public ReportDocument(String title) {
        this.title = title;
    }

    /** A heading of {@code level} 2..4 (level 1 is the title). */
    public ReportDocument heading(int level, String text) {
        blocks.add(new Heading(Math.max(2, Math.min(4, level)), text));
        return this;
    }

    /** A paragraph of plain text; {@code `code`} spans are kept as code in both renderings. */
    public ReportDocument paragraph(String text) {
        blocks.add(new Paragraph(text));
        return this;
    }

    /** A preformatted block (a command line). */
    public ReportDocument code(String text) {
        blocks.add(new Code(text));
        return this;
    }

    /** A table; every row must have one cell per header column. */
    public ReportDocument table(List<String> header, List<List<String>> rows) {
        for (List<String> r : rows) {
            if (r.size() != header.size()) {
                throw new IllegalArgumentException("row " + r + " has " + r.size() + " cells, header " + header.size());
            }
        }
        blocks.add(new TableBlock(List.copyOf(header), List.copyOf(rows)));
        return this;
    }

    /** A PNG image at {@code path}, relative to the run folder the document is written into. */
    public ReportDocument image(String path, String alt) {
        blocks.add(new Image(path, alt));
        return this;
    }

    /** Appends the blocks of {@code other} (its title is not one of them): a section built on its own. */
    public ReportDocument append(ReportDocument other) {
        blocks.addAll(other.blocks);
        return this;
    }

    /** The Markdown rendering. */
    public String markdown() {
        return "# " + title + "\n\n" + markdownBody(java.util.function.UnaryOperator.identity());
    }

    /** The PNG paths of the document's images, relative to the run folder, in order. */
    public List<String> imagePaths() {
        List<String> out = new ArrayList<>();
        for (Block b : blocks) {
            if (b instanceof Image i) {
                out.add(i.path());
            }
        }
        return out;
    }

    /**
     * The Markdown rendering without the title line, every image path replaced by
     * {@code imagePath.apply(path)}: a section to assemble into another document.
     */
    public String markdownBody(java.util.function.UnaryOperator<String> imagePath) {
        StringBuilder sb = new StringBuilder();
        for (Block b : blocks) {
            if (b instanceof Heading h) {
                sb.append("#".repeat(h.level())).append(' ').append(h.text()).append("\n\n");
            } else if (b instanceof Paragraph p) {
                sb.append(p.text()).append("\n\n");
            } else if (b instanceof Code c) {
                sb.append("```\n").append(c.text()).append("\n```\n\n");
            } else if (b instanceof TableBlock t) {
                sb.append(mdRow(t.header()));
                sb.append("|").append("---|".repeat(t.header().size())).append('\n');
                for (List<String> r : t.rows()) {
                    sb.append(mdRow(r));
                }
                sb.append('\n');
            } else if (b instanceof Image i) {
                sb.append("![").append(i.alt()).append("](").append(imagePath.apply(i.path())).append(")\n\n");
            }
        }
        return sb.toString();
    }

    private static String mdRow(List<String> cells) {
        StringBuilder sb = new StringBuilder("|");
        for (String c : cells) {
            sb.append(' ').append(c.replace("|", "\\|").replace("\n", " ")).append(" |");
        }
        return sb.append('\n').toString();
    }

    /** The HTML rendering; images are read from {@code runDir} and embedded. */
    public String html(Path runDir) {
        StringBuilder sb = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>")
                .append(escape(title)).append("</title>\n<style>\n")
                .append("body{font-family:sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}\n")
                .append("table{border-collapse:collapse;margin:1em 0;font-size:90%}\n")
                .append("td,th{border:1px solid #ccc;padding:3px 7px;text-align:left}th{background:#f3f3f3}\n")
                .append("pre{background:#f6f6f6;padding:.6em;overflow-x:auto}img{max-width:100%}\n")
                .append("</style></head><body>\n<h1>").append(escape(title)).append("</h1>\n");
        for (Block b : blocks) {
            if (b instanceof Heading h) {
                sb.append("<h").append(h.level()).append('>').append(inline(h.text())).append("</h").append(h.level())
                        .append(">\n");
            } else if (b instanceof Paragraph p) {
                sb.append("<p>").append(inline(p.text())).append("</p>\n");
            } else if (b instanceof Code c) {
                sb.append("<pre>").append(escape(c.text())).append("</pre>\n");
            } else if (b instanceof TableBlock t) {
                sb.append("<table>\n<tr>");
                for (String h : t.header()) {
                    sb.append("<th>").append(inline(h)).append("</th>");
                }
                sb.append("</tr>\n");
                for (List<String> r : t.rows()) {
                    sb.append("<tr>");
                    for (String c : r) {
                        sb.append("<td>").append(inline(c)).append("</td>");
                    }
                    sb.append("</tr>\n");
                }
                sb.append("</table>\n");
            } else if (b instanceof Image i) {
                sb.append("<p><img alt=\"").append(escape(i.alt())).append("\" src=\"data:image/png;base64,")
                        .append(base64(runDir.resolve(i.path()))).append("\"></p>\n");
            }
        }
        return sb.append("</body></html>\n").toString();
    }

    private static String base64(Path png) {
        try {
            return Base64.getEncoder().encodeToString(Files.readAllBytes(png));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + png + ": " + e.getMessage(), e);
        }
    }

    /** HTML text: escaped, with {@code `code`} spans and {@code **bold**} kept. */
    static String inline(String text) {
        String e = escape(text);
        e = e.replaceAll("`([^`]*)`", "<code>$1</code>");
        return e.replaceAll("\\*\\*([^*]+)\\*\\*", "<b>$1</b>");
    }

    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    /** Writes {@code report.md}-style and {@code report.html}-style files into {@code run}, atomically. */
    public void write(RunFolder run, String markdownName, String htmlName) {
        String md = markdown();
        run.write(markdownName, out -> out.write(md.getBytes(StandardCharsets.UTF_8)));
        String html = html(run.dir());
        run.write(htmlName, out -> out.write(html.getBytes(StandardCharsets.UTF_8)));
    }
}
