package convkit.display;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class TableTest {

    @Test
    void nameValueRowsHaveNoHeader() {
        var table = Table.of("Data").row("training images", 1500).row("epochs", 2);
        assertEquals(List.of(List.of("training images", 1500), List.of("epochs", 2)), table.rows());
        assertEquals("<table class=\"convkit-table\"><caption style=\"font-weight:bold;text-align:left\">Data</caption>"
                + "<tr><td style=\"text-align:left\">training images</td><td style=\"text-align:left\">1500</td></tr>"
                + "<tr><td style=\"text-align:left\">epochs</td><td style=\"text-align:left\">2</td></tr></table>", table.html());
    }

    @Test
    void columnsGiveAHeaderAndARowMustFillThem() {
        var table = Table.of("Batch size", "batch", "seconds").row(16, "1.5");
        assertTrue(table.html().contains("<th style=\"text-align:left\">seconds</th>"), table.html());
        var e = assertThrows(IllegalArgumentException.class, () -> table.row(128));
        assertTrue(e.getMessage().contains("[batch, seconds]"), e.getMessage());
        var pairs = assertThrows(IllegalArgumentException.class, () -> Table.of("Data").row("a", 1, 2));
        assertTrue(pairs.getMessage().contains("name/value rows"), pairs.getMessage());
    }
}
