package convkit.display;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import javax.imageio.ImageIO;

/**
 * Where the library's pictures, plots and live progress go: the notebook when the library runs
 * inside a Java Jupyter kernel (rapaio-jupyter-kernel or IJava, found by their display functions, or
 * one {@link #connect connected} by hand), plain text on standard output otherwise (tests, command line).
 *
 * <pre>{@code
 * String id = Display.html("<b>epoch 1</b>");
 * Display.updateHtml(id, "<b>epoch 2</b>");   // replaces the output in place
 * }</pre>
 */
public final class Display {

    /** The two display calls a Jupyter kernel offers (IJava and rapaio-jupyter-kernel both have them). */
    public interface Sink {
        /** Shows content of the given MIME type as a new output and returns its display id. */
        String display(String mime, String content);

        /** Replaces the output with the given id. */
        void update(String id, String mime, String content);
    }

    private static final Sink CONSOLE = new Sink() {
        @Override
        public String display(String mime, String content) {
            if (mime.equals("text/plain")) {
                System.out.println(content);
            }
            return "console";
        }

        @Override
        public void update(String id, String mime, String content) {
            display(mime, content);
        }
    };

    private static volatile Sink sink = detectKernel();

    private Display() {
    }

    /** Sends the library's output to a notebook; called once by the kernel's start-up script. */
    public static void connect(Sink notebook) {
        sink = notebook == null ? CONSOLE : notebook;
    }

    /** True when a notebook is connected (false in tests and command-line runs). */
    public static boolean inNotebook() {
        return sink != CONSOLE;
    }

    /** Shows an HTML fragment; returns the id to {@link #updateHtml update} it later. */
    public static String html(String html) {
        return sink.display("text/html", html);
    }

    /** Replaces a shown HTML output. */
    public static void updateHtml(String id, String html) {
        sink.update(id, "text/html", html);
    }

    /** Shows plain text (also what a console run prints). */
    public static String text(String text) {
        return sink.display("text/plain", text);
    }

    /** Shows an image inline as PNG. */
    public static String image(BufferedImage image) {
        return html(imgTag(image, image.getWidth()));
    }

    /** An {@code <img>} tag with the image embedded as PNG, drawn {@code width} CSS pixels wide, sharp when enlarged. */
    public static String imgTag(BufferedImage image, int width) {
        return "<img style=\"image-rendering:pixelated;width:" + width + "px\" src=\"data:image/png;base64,"
                + Base64.getEncoder().encodeToString(png(image)) + "\"/>";
    }

    /** PNG bytes of an image. */
    public static byte[] png(BufferedImage image) {
        try (ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            ImageIO.write(image, "png", out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The display functions of the kernel this JVM runs in, looked up by name so the library depends
     * on no kernel: rapaio-jupyter-kernel's {@code Global} and IJava's {@code Display} have the same two.
     */
    static Sink detectKernel() {
        for (String name : new String[] {"org.rapaio.jupyter.kernel.global.Global",
                "io.github.spencerpark.ijava.runtime.Display"}) {
            try {
                Class<?> kernel = Class.forName(name);
                java.lang.reflect.Method show = kernel.getMethod("display", String.class, Object.class);
                java.lang.reflect.Method update = kernel.getMethod("updateDisplay", String.class, String.class, Object.class);
                return new Sink() {
                    @Override
                    public String display(String mime, String content) {
                        return (String) invoke(show, mime, content);
                    }

                    @Override
                    public void update(String id, String mime, String content) {
                        invoke(update, id, mime, content);
                    }
                };
            } catch (ReflectiveOperationException | LinkageError e) {
                // not this kernel
            }
        }
        return CONSOLE;
    }

    private static Object invoke(java.lang.reflect.Method method, Object... args) {
        try {
            return method.invoke(null, args);
        } catch (java.lang.reflect.InvocationTargetException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Escapes text for use inside HTML. */
    public static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
