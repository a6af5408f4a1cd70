/**
 * The environment a lesson runs in: its mode (test, quick or full, which sets every size), the CPU or GPU backend and
 * why it was chosen, the settings that make DL4J fast, and the checks of a caller's arguments.
 */
package convkit.env;
