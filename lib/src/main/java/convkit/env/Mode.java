package convkit.env;

import java.util.Locale;

/**
 * The course's one size switch, read from {@code CONVKIT_MODE}: {@code quick} (the default a learner gets:
 * each lesson in a few minutes, its effect visible), {@code full} (the real sizes that reproduce the seeds'
 * numbers) or {@code test} (the smallest sizes that still run every cell, for {@code make test} and CI).
 *
 * <pre>{@code
 * int epochs = Mode.current().pick(2, 12);       // 2 in quick (and test) mode, 12 in full mode
 * int images = Mode.current().pick(300, 3000, 10_000);   // test, quick, full
 * }</pre>
 */
public enum Mode {
    TEST, QUICK, FULL;

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
        throw new IllegalArgumentException(VARIABLE + "=" + value + " is not a mode: use quick (the default: each"
                + " lesson in minutes), full (the real sizes) or test (the smallest run, for make test)");
    }

    /** The value for this mode: {@code quick} in quick and test mode, {@code full} in full mode. */
    public <T> T pick(T quick, T full) {
        return this == FULL ? full : quick;
    }

    /** The value for this mode, where test mode needs a smaller size than quick mode. */
    public <T> T pick(T test, T quick, T full) {
        return this == TEST ? test : pick(quick, full);
    }

    /** Lower-case name, as written in {@code CONVKIT_MODE}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** True in quick and test mode: the small data sets bundled with the kit, nothing downloaded. */
    public boolean isQuick() {
        return this != FULL;
    }
}
