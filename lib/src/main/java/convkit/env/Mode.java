package convkit.env;

import java.util.Locale;

/**
 * The course's one size switch: {@code quick} (small data, few epochs, for tests and a first look)
 * or {@code full} (the real sizes that reproduce the seeds' numbers), read from {@code CONVKIT_MODE}.
 *
 * <pre>{@code
 * int epochs = Mode.current().pick(2, 12);   // 2 in quick mode, 12 in full mode
 * }</pre>
 */
public enum Mode {
    QUICK, FULL;

    /** The environment variable that selects the mode. */
    public static final String VARIABLE = "CONVKIT_MODE";

    /** The mode chosen by {@code CONVKIT_MODE} (or the system property {@code convkit.mode}); quick when unset. */
    public static Mode current() {
        String value = System.getProperty("convkit.mode", System.getenv(VARIABLE));
        return parse(value);
    }

    /** Reads a mode name; blank means quick, anything unknown is an error that lists the valid names. */
    public static Mode parse(String value) {
        if (value == null || value.isBlank()) {
            return QUICK;
        }
        String name = value.trim().toLowerCase(Locale.ROOT);
        for (Mode mode : values()) {
            if (mode.label().equals(name)) {
                return mode;
            }
        }
        throw new IllegalArgumentException(VARIABLE + "=" + value
                + " is not a mode: use quick (small data, few epochs) or full (the real sizes)");
    }

    /** The value for this mode: {@code quick} in quick mode, {@code full} in full mode. */
    public <T> T pick(T quick, T full) {
        return this == QUICK ? quick : full;
    }

    /** Lower-case name, as written in {@code CONVKIT_MODE}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean isQuick() {
        return this == QUICK;
    }
}
