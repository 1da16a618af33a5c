package ntklc.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Without {@code --add-modules jdk.incubator.vector} the code runs on the scalar kernel and says so once. */
class ScalarFallbackTest {
    @Test
    void runsWithoutTheVectorModuleAndSaysSoOnce() throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), FallbackProbe.class.getName())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        List<String> notices = new ArrayList<>();
        for (String line : out.split("\n")) {
            if (line.startsWith("notice:")) {
                notices.add(line);
            }
        }
        assertEquals(1, notices.size(), out);
        assertTrue(notices.get(0).contains("--add-modules jdk.incubator.vector"), out);
        assertTrue(out.contains("kernel:scalar"), out);
        // [[1,2],[3,4]]·[[5,6],[7,8]] = [[19,22],[43,50]], exact in float.
        assertTrue(out.contains("result:19.0,22.0,43.0,50.0"), out);
    }

    @Test
    void noticesAreDeliveredOnceAndBufferedUntilAListenerExists() {
        List<String> seen = new ArrayList<>();
        Notices.setListener(null);
        Notices.once("test notice A");
        Notices.once("test notice A");
        Notices.setListener(seen::add);
        Notices.once("test notice B");
        Notices.once("test notice A");
        Notices.setListener(null);
        // Other tests in this JVM may have left notices of their own in the backlog: ignore those.
        seen.removeIf(m -> !m.startsWith("test notice"));
        assertEquals(List.of("test notice A", "test notice B"), seen);
    }
}
