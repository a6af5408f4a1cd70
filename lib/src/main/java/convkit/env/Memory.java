package convkit.env;

import com.sun.jna.NativeLibrary;

/**
 * Gives the memory ND4J has freed back to the operating system. ND4J frees its arrays with the C library's
 * {@code free}, and glibc keeps freed memory for the process's later allocations instead of returning it, so a
 * kernel's resident memory stays at its highest point and counts against a Binder or JupyterHub bound. Measured in
 * lesson 06 under a 2 GB bound: after the tutorial model's training, 236 of the kernel's 1,288 MB were such freed
 * memory, and the lesson later stopped at JavaCPP's bound. {@link convkit.training.Training} calls this after
 * every epoch and at the end of a training.
 *
 * <pre>{@code
 * Memory.release();   // true where glibc's malloc_trim ran (Linux); false elsewhere, where there is nothing to do
 * }</pre>
 */
public final class Memory {

    private static volatile Boolean available;

    private Memory() {
    }

    /**
     * Returns the free pages of the C allocator to the operating system (glibc's {@code malloc_trim(0)}, a few
     * milliseconds). Arrays still referenced are untouched. Returns false, doing nothing, where the C library has no
     * {@code malloc_trim} (macOS, Windows, musl).
     */
    public static boolean release() {
        if (Boolean.FALSE.equals(available)) {
            return false;
        }
        try {
            NativeLibrary.getInstance("c").getFunction("malloc_trim").invokeInt(new Object[] {0});
            available = true;
            return true;
        } catch (LinkageError | RuntimeException e) {
            available = false;
            return false;
        }
    }
}
