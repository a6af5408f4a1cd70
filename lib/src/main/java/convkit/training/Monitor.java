package convkit.training;

import java.util.List;
import java.util.Locale;

/**
 * A value watched after every epoch ({@code loss}, {@code accuracy}, {@code val_loss}, {@code val_accuracy};
 * Keras' {@code acc}/{@code val_acc} are accepted too) and which direction counts as better.
 *
 * <pre>{@code
 * Monitor m = Monitor.of("val_acc");   // val_accuracy, higher is better
 * m.better(0.98, 0.97);                // true
 * }</pre>
 */
public record Monitor(String name, boolean higherIsBetter) {

    /** The values {@link History} records per epoch. */
    public static final List<String> NAMES = List.of("loss", "accuracy", "val_loss", "val_accuracy");

    /** The monitor for a metric name; unknown names are an error listing the known ones. */
    public static Monitor of(String name) {
        String n = alias(name);
        if (!NAMES.contains(n)) {
            throw new IllegalArgumentException("cannot monitor '" + name + "': use one of " + String.join(", ", NAMES));
        }
        return new Monitor(n, n.endsWith("accuracy"));
    }

    /** The standard name for {@code name}: trimmed, lower case, Keras' {@code acc} and {@code val_acc} spelled out. */
    static String alias(String name) {
        String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        return switch (n) {
            case "acc" -> "accuracy";
            case "val_acc" -> "val_accuracy";
            default -> n;
        };
    }

    /** True when {@code value} is strictly better than {@code best} (any value beats NaN). */
    public boolean better(double value, double best) {
        if (Double.isNaN(best)) {
            return !Double.isNaN(value);
        }
        return higherIsBetter ? value > best : value < best;
    }

    /** True for the values that need validation data. */
    public boolean needsValidation() {
        return name.startsWith("val_");
    }
}
