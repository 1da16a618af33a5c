package ntklc;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The repository must stand alone: a reader has the paper and this repository, nothing else. So no
 * file may cite the technical specification the project was planned from (it is not in the
 * repository), and every {@code docs/theory.md §N.M} a file cites must exist as a heading of
 * {@code docs/theory.md}. Scanned: {@code src/}, {@code kernels/}, {@code docs/}, {@code README.md},
 * {@code data/README.md}.
 */
class RepositoryCitationsTest {
    private static final Path ROOT = Path.of(System.getProperty("basedir", "")).toAbsolutePath();

    /**
     * Citations of the specification. The word is assembled from two halves so this file does not
     * match itself.
     */
    private static final String SPEC = "sp" + "ec";
    private static final List<Pattern> FORBIDDEN = List.of(
            Pattern.compile("(?i)\\b" + SPEC + "(?:'s)?\\s*§"),
            Pattern.compile("(?i)NTK-LC-" + SPEC),
            Pattern.compile("(?i)\\bthe " + SPEC + "\\b(?!\\()"),
            Pattern.compile("(?i)\\b" + SPEC + "'s\\b"),
            Pattern.compile("\\(" + SPEC + "(?::|\\s(?!\\+))"),
            Pattern.compile("(?i)\\b" + SPEC + "\\s+(?:R\\d|E\\d|\\d)"),
            // test method names that cite a section or table of it by name
            Pattern.compile("[a-z]Sp" + "ec(?:Section|Table|Check|\\d)|TheSp" + "ec[A-Z]|FollowsSp" + "ec\\b"));

    /** {@code docs/theory.md §4.2}, {@code theory §4.2–4.3}, and refs chained after them. */
    private static final Pattern THEORY_REF = Pattern.compile(
            "theory(?:\\.md)?\\s+((?:§\\d+(?:\\.\\d+)?(?:[–-]\\d+(?:\\.\\d+)?)?(?:\\s+(?:R|E)\\d)?"
                    + "(?:\\s*(?:,|/|and)\\s*(?=§))?)+)");
    private static final Pattern SECTION = Pattern.compile("(?:§|[–-])(\\d+(?:\\.\\d+)?)");

    private static List<Path> scannedFiles() throws IOException {
        List<Path> files = new ArrayList<>();
        for (String dir : List.of("src", "kernels", "docs")) {
            try (Stream<Path> s = Files.walk(ROOT.resolve(dir))) {
                s.filter(Files::isRegularFile).forEach(files::add);
            }
        }
        files.add(ROOT.resolve("README.md"));
        files.add(ROOT.resolve("data/README.md"));
        return files;
    }

    /** The file as UTF-8 text, or null for a binary file. */
    private static String text(Path file) throws IOException {
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(file)))
                    .toString();
        } catch (CharacterCodingException binary) {
            return null;
        }
    }

    @Test
    void scansTheWholeRepository() throws IOException {
        // Negative control for the scan itself: it must reach the Java sources, the kernels and the docs.
        List<Path> files = scannedFiles();
        assertTrue(files.size() > 200, "files scanned: " + files.size());
        assertTrue(files.stream().anyMatch(f -> f.startsWith(ROOT.resolve("kernels")) && f.toString().endsWith(".cl")));
        assertTrue(files.contains(ROOT.resolve("src/main/java/ntklc/spectral/Coefficients.java")));
        assertTrue(files.contains(ROOT.resolve("docs/theory.md")));
    }

    @Test
    void noFileCitesTheSpecification() throws IOException {
        List<String> hits = new ArrayList<>();
        for (Path file : scannedFiles()) {
            String text = text(file);
            if (text == null) {
                continue;
            }
            String[] lines = text.split("\n", -1);
            for (int i = 0; i < lines.length; i++) {
                for (Pattern p : FORBIDDEN) {
                    if (p.matcher(lines[i]).find()) {
                        hits.add(ROOT.relativize(file) + ":" + (i + 1) + ": " + lines[i].strip());
                        break;
                    }
                }
            }
        }
        assertTrue(hits.isEmpty(), hits.size() + " citation(s) of the specification:\n" + String.join("\n", hits));
    }

    @Test
    void everyCitedTheorySectionExists() throws IOException {
        Set<String> sections = new TreeSet<>();
        Matcher h = Pattern.compile("(?m)^##\\s+(\\d+)\\.\\s|^###\\s+(\\d+\\.\\d+)\\s")
                .matcher(Files.readString(ROOT.resolve("docs/theory.md")));
        while (h.find()) {
            sections.add(h.group(1) != null ? h.group(1) : h.group(2));
        }
        assertTrue(sections.contains("4.2") && sections.contains("6.6"), "theory.md headings: " + sections);
        List<String> missing = new ArrayList<>();
        for (Path file : scannedFiles()) {
            String text = text(file);
            if (text == null) {
                continue;
            }
            Matcher m = THEORY_REF.matcher(text);
            while (m.find()) {
                Matcher s = SECTION.matcher(m.group(1));
                while (s.find()) {
                    if (!sections.contains(s.group(1))) {
                        missing.add(ROOT.relativize(file) + ": §" + s.group(1) + " in \"" + m.group().strip() + "\"");
                    }
                }
            }
        }
        assertTrue(missing.isEmpty(), "cited sections missing from docs/theory.md:\n" + String.join("\n", missing));
    }

    @Test
    void everyRelativeLinkInTheDocsResolves() throws IOException {
        // paper-map.md and the README link classes by path: a rename elsewhere must not leave them dangling.
        Pattern link = Pattern.compile("\\]\\(([^)#\\s]+)(?:#[^)]*)?\\)");
        List<Path> docs = new ArrayList<>(List.of(ROOT.resolve("README.md"), ROOT.resolve("data/README.md")));
        try (Stream<Path> s = Files.list(ROOT.resolve("docs"))) {
            s.filter(f -> f.toString().endsWith(".md")).forEach(docs::add);
        }
        List<String> dangling = new ArrayList<>();
        int links = 0;
        for (Path doc : docs) {
            Matcher m = link.matcher(Files.readString(doc));
            while (m.find()) {
                String target = m.group(1);
                if (target.startsWith("http:") || target.startsWith("https:")) {
                    continue;
                }
                links++;
                if (!Files.exists(doc.getParent().resolve(target).normalize())) {
                    dangling.add(ROOT.relativize(doc) + " → " + target);
                }
            }
        }
        assertTrue(links > 50, "relative links found: " + links);
        assertTrue(dangling.isEmpty(), "links to missing files:\n" + String.join("\n", dangling));
    }

    @Test
    void everyTestMethodNamedInThePaperMapExists() throws IOException {
        // paper-map.md names tests as `ClassTest.method`; a renamed test must be renamed there too.
        Matcher m = Pattern.compile("`(\\w+Test)\\.(\\w+)`").matcher(Files.readString(ROOT.resolve("docs/paper-map.md")));
        List<Path> tests;
        try (Stream<Path> s = Files.walk(ROOT.resolve("src/test/java"))) {
            tests = s.filter(f -> f.toString().endsWith("Test.java")).toList();
        }
        List<String> missing = new ArrayList<>();
        int named = 0;
        while (m.find()) {
            named++;
            String file = m.group(1) + ".java";
            String method = m.group(2);
            boolean found = false;
            for (Path t : tests) {
                if (t.getFileName().toString().equals(file) && Files.readString(t).contains(" " + method + "(")) {
                    found = true;
                }
            }
            if (!found) {
                missing.add(m.group(1) + "." + method);
            }
        }
        assertTrue(named > 10, "test methods named: " + named);
        assertTrue(missing.isEmpty(), "named in docs/paper-map.md but not found: " + missing);
    }
}
