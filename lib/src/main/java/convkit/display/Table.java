package convkit.display;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * A small table for a lesson, built a row at a time and shown in the notebook (as text outside one).
 *
 * <pre>{@code
 * Table.of("Data")                                   // name/value rows, no header
 *         .row("training images", train.size())
 *         .row("epochs", epochs)
 *         .show();
 * Table.of("Batch size", "batch", "updates per epoch", "validation accuracy")
 *         .row(16, 94, "91.20%")
 *         .show();
 * }</pre>
 */
public final class Table {

    private final String title;
    private final List<String> header;
    private final List<List<Object>> rows = new ArrayList<>();

    private Table(String title, List<String> header) {
        this.title = title;
        this.header = header;
    }

    /** A table of name/value rows under {@code title}. */
    public static Table of(String title) {
        return new Table(title, List.of("", ""));
    }

    /** A table under {@code title} with these column names. */
    public static Table of(String title, String... columns) {
        if (columns.length == 0) {
            throw new IllegalArgumentException("Table.of(title, columns...) needs at least one column name;"
                    + " for name/value rows use Table.of(title)");
        }
        return new Table(title, List.of(columns));
    }

    /** Adds one row, a cell per column; a number or any object is shown as its text. */
    public Table row(Object... cells) {
        if (cells.length != header.size()) {
            throw new IllegalArgumentException("row " + Arrays.toString(cells) + " has " + cells.length + " cells but the table "
                    + (String.join("", header).isBlank() ? "has name/value rows (2 cells)" : "has the columns " + header));
        }
        rows.add(Collections.unmodifiableList(new ArrayList<>(Arrays.asList(cells))));
        return this;
    }

    /** The rows so far. */
    public List<List<Object>> rows() {
        return Collections.unmodifiableList(rows);
    }

    /** The table as HTML. */
    public String html() {
        return Tables.html(title, header, rows);
    }

    /** Shows the table. */
    public void show() {
        Tables.show(title, header, rows);
    }
}
