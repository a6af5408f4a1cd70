package convkit.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import convkit.env.Mode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportTest {

    @Test
    void figuresAreAppendedAsJsonLines(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("sub/figures.jsonl");
        System.setProperty("convkit.report", file.toString());
        try {
            Report.accuracy("CNN \"seed\" accuracy", 0.99312, "99.27%");
            Report.record("params", 320);
            Report.record("ratio", 2.0 / 3);
        } finally {
            System.clearProperty("convkit.report");
        }
        List<String> lines = Files.readAllLines(file);
        String mode = " (" + Mode.current().label() + " mode)";
        assertEquals(List.of(
                "{\"name\":\"CNN \\\"seed\\\" accuracy" + mode + "\",\"value\":\"99.31%\",\"seed\":\"99.27%\"}",
                "{\"name\":\"params" + mode + "\",\"value\":\"320\",\"seed\":null}",
                "{\"name\":\"ratio" + mode + "\",\"value\":\"0.6667\",\"seed\":null}"), lines);
    }
}
