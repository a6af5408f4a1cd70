package convkit.training;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The values a {@link Callback} is given, by name, like the {@code logs} dictionary of Keras' callbacks: after an epoch
 * {@code loss}, {@code accuracy}, {@code val_loss}, {@code val_accuracy} (NaN without validation data), {@code seconds}
 * and {@code images_per_second}; after a batch the epoch's running {@code loss} and {@code accuracy}, the batch's own
 * {@code batch_loss}, and the {@code images} trained so far in the epoch.
 *
 * <pre>{@code
 * logs.get("val_accuracy");   // 0.9871
 * logs.get("val_acc");        // Keras' short names work too
 * }</pre>
 */
public final class Logs {

    private final Map<String, Double> values;

    Logs(Map<String, Double> values) {
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /** The value called {@code name}; an unknown name is an error that lists the known ones. */
    public double get(String name) {
        Double value = values.get(Monitor.alias(name));
        if (value == null) {
            throw new IllegalArgumentException("no value called '" + name + "' here: the values are " + values.keySet());
        }
        return value;
    }

    /** Every value, by name (after an epoch in the order above). */
    public Map<String, Double> asMap() {
        return values;
    }

    @Override
    public String toString() {
        return values.toString();
    }
}
