import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.Stack;
import java.util.logging.LogManager;

import org.rapaio.jupyter.kernel.MainApp;
import org.rapaio.jupyter.kernel.channels.AbstractChannel;
import org.rapaio.jupyter.kernel.channels.Channels;
import org.rapaio.jupyter.kernel.channels.LoopThread;
import org.rapaio.jupyter.kernel.core.ConnectionProperties;
import org.rapaio.jupyter.kernel.core.Transform;

/**
 * Starts rapaio-jupyter-kernel 3.0.1 the way its own MainApp does, minus the start-up races and the loop-thread deaths
 * that leave Jupyter waiting for an answer (Notebook: 60 s, then "Timeout waiting for kernel_info reply", or a
 * websocket that closes; nbclient: "Kernel didn't respond"). A workaround for 3.0.1: remove this class when the
 * kernel fixes them.
 *
 * <ol>
 * <li>{@code Channels.connect} binds the shell and control sockets, which starts their reading threads, and only
 *     afterwards fills its map of message handlers. Jupyter sends {@code kernel_info_request} before the kernel
 *     is up, so it is waiting in the socket the moment the socket is bound: a reading thread that got to it before
 *     the map was filled logged "Unhandled message: kernel_info_request" and dropped it, and Notebook waited its
 *     60 s for the answer. The reading threads take each message inside the channel's {@code synchronized
 *     readMessage}, so holding both channels' locks while {@code connect} runs makes them wait until every handler
 *     is in place: the first message is answered like any other.</li>
 * <li>{@code LoopThread.start()} sets its {@code running} flag only after {@code Thread.start()}, so a loop
 *     thread scheduled at once sees {@code running == false} and ends before it polls once: the shell, control or
 *     heartbeat channel then never answers.</li>
 * <li>The shell and control threads share one stack of actions to run after a message ({@code Channels.afterActions},
 *     e.g. the "idle" status) and empty it with {@code while (!isEmpty()) pop().run()}. Notebook's websocket sends
 *     {@code kernel_info_request} on both channels at the same moment (its "nudge", every 0.5 s until answered), so
 *     both threads can empty the stack at once: the one that finds it emptied between the two calls gets an
 *     {@code EmptyStackException}, and the exception ends that channel's thread for good. Without the shell's
 *     thread the page still connects (3.0.1 sends control's replies through the shell socket, so the nudge is
 *     answered), but no cell ever runs. Here the stack's {@code pop} on an empty stack does nothing instead.</li>
 * </ol>
 * For 2 and for any other exception that ends a loop thread while its channel is open, the main thread watches the
 * loop threads for the kernel's whole life and replaces one that ended with its flag still set by a new one running
 * the same loop (a message being handled when it ended is lost; Jupyter asks again). The kernel ends when the shell's
 * loop is shut down, as with {@code Channels.joinUntilClose}.
 */
public final class KernelStart {
    private static final Field RUNNING = field(LoopThread.class, "running");
    private static final Field SLEEP = field(LoopThread.class, "sleep");
    private static final Field LOOP_BODY = field(LoopThread.class, "loopBody");

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: KernelStart <connection file>");
        }
        var kernel = MainApp.kernel;   // MainApp's static init builds the kernel (JShell and the classpath)
        LogManager.getLogManager().readConfiguration(MainApp.class.getClassLoader().getResourceAsStream("logging.properties"));
        var properties = Transform.fromJson(Files.readString(Path.of(args[0])), ConnectionProperties.class);
        var channels = new Channels(properties);
        field(Channels.class, "afterActions").set(channels, new AfterActions());
        Object shell = field(Channels.class, "shell").get(channels);
        synchronized (shell) {
            synchronized (field(Channels.class, "control").get(channels)) {
                channels.connect(kernel);
            }
        }
        List<LoopSlot> loops = loopSlots((Set<?>) field(Channels.class, "channels").get(channels));
        while (keepLoopsRunning(loops, shell)) {
            Thread.sleep(100);
        }
    }

    /** The actions to run after a message; two threads may empty it at once, so popping an empty one does nothing. */
    private static final class AfterActions extends Stack<Runnable> {
        @Override
        public synchronized Runnable pop() {
            return isEmpty() ? () -> { } : super.pop();
        }
    }

    /** A channel's field that holds one of its loop threads. */
    private record LoopSlot(Object channel, Field field) {
    }

    /** Every loop-thread field of every channel, found once: the watch below reads them ten times a second. */
    private static List<LoopSlot> loopSlots(Set<?> allChannels) {
        List<LoopSlot> slots = new ArrayList<>();
        for (Object channel : allChannels) {
            for (Class<?> c = channel.getClass(); c != AbstractChannel.class; c = c.getSuperclass()) {
                for (Field f : c.getDeclaredFields()) {
                    if (f.getType() == LoopThread.class) {
                        f.setAccessible(true);
                        slots.add(new LoopSlot(channel, f));
                    }
                }
            }
        }
        return slots;
    }

    /**
     * Replaces every loop thread that ended while its flag says it should run (it lost the start-up race, or an
     * exception ended it); false once the shell's loop thread ended because the kernel is shutting down.
     */
    private static boolean keepLoopsRunning(List<LoopSlot> loops, Object shell) throws Exception {
        boolean open = true;
        for (LoopSlot slot : loops) {
            LoopThread loop = (LoopThread) slot.field().get(slot.channel());
            if (loop == null || loop.getState() != Thread.State.TERMINATED) {
                continue;
            }
            if (!RUNNING.getBoolean(loop)) {   // shut down: the kernel is closing
                open &= slot.channel() != shell;
                continue;
            }
            var again = new LoopThread(loop.getName(), SLEEP.getLong(loop), (Runnable) LOOP_BODY.get(loop));
            RUNNING.setBoolean(again, true);
            again.setDaemon(false);
            slot.field().set(slot.channel(), again);
            again.start();
            System.err.println("KernelStart: restarted " + slot.channel().getClass().getSimpleName() + "'s thread "
                    + loop.getName() + ", which had ended with its channel open");
        }
        return open;
    }

    private static Field field(Class<?> owner, String name) {
        try {
            Field f = owner.getDeclaredField(name);
            f.setAccessible(true);
            return f;
        } catch (NoSuchFieldException e) {
            throw new IllegalStateException("KernelStart is written for rapaio-jupyter-kernel 3.0.1, which has "
                    + owner.getSimpleName() + "." + name + "; run make setup to get that version", e);
        }
    }
}
