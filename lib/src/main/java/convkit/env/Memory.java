package convkit.env;

import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;
import org.bytedeco.javacpp.Pointer;

/**
 * Gives the memory ND4J has freed back to the operating system. ND4J frees its arrays with the C library's
 * {@code free}, and glibc keeps freed memory for the process's later allocations instead of returning it, so a
 * kernel's resident memory stays at its highest point and counts against a Binder or JupyterHub bound. Measured in
 * lesson 06 under a 2 GB bound: after the tutorial model's training, 236 of the kernel's 1,288 MB were such freed
 * memory, and the lesson later stopped at JavaCPP's bound. {@link convkit.training.Training} calls this after
 * every epoch and at the end of a training.
 *
 * <p>ND4J also frees an array only once the garbage collector has found its Java object unreachable, and DL4J's
 * training makes such arrays faster than the collector runs: in lesson 06 the kernel's memory went up and down by
 * 600 MB between collections, and reached 1.9 GB of a 2 GB bound. {@link #collectIfGrowing()} collects when the
 * kernel has grown by an eighth of its bound since the last time; Training asks every 16 batches.
 *
 * <pre>{@code
 * Memory.release();            // true where glibc's malloc_trim ran (Linux); false elsewhere, where there is nothing to do
 * Memory.collectIfGrowing();   // true when it collected: the kernel was above half its bound and had grown by an eighth
 * }</pre>
 */
public final class Memory {

    /** glibc's {@code malloc_trim}, or null where the C library has none. */
    private static final Function MALLOC_TRIM = mallocTrim();
    private static long afterLastCollection;

    private Memory() {
    }

    private static Function mallocTrim() {
        try {
            return NativeLibrary.getInstance("c").getFunction("malloc_trim");
        } catch (LinkageError | RuntimeException e) {
            return null;
        }
    }

    /**
     * Returns the free pages of the C allocator to the operating system (glibc's {@code malloc_trim(0)}, a few
     * milliseconds). Arrays still referenced are untouched. Returns false, doing nothing, where the C library has no
     * {@code malloc_trim} (macOS, Windows, musl).
     */
    public static boolean release() {
        if (MALLOC_TRIM == null) {
            return false;
        }
        MALLOC_TRIM.invokeInt(new Object[] {0});
        return true;
    }

    /**
     * Runs the garbage collector and {@link #release()} when the kernel's resident memory is above half of its bound
     * (JavaCPP's {@code maxphysicalbytes}, set by the kernel launcher) and has grown by an eighth of the bound since the
     * last collection made here; returns whether it did. Without a bound it does nothing.
     */
    public static synchronized boolean collectIfGrowing() {
        long bound = Pointer.maxPhysicalBytes();
        if (!shouldCollect(Pointer.physicalBytes(), afterLastCollection, bound)) {
            return false;
        }
        System.gc();
        release();
        afterLastCollection = Pointer.physicalBytes();
        return true;
    }

    /** The rule of {@link #collectIfGrowing()}: above half of {@code bound} and an eighth of it more than {@code after}. */
    static boolean shouldCollect(long resident, long after, long bound) {
        return bound > 0 && resident > bound / 2 && resident - after > bound / 8;
    }
}
