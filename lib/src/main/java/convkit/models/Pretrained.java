package convkit.models;

import convkit.data.DataFiles;
import convkit.data.TempFiles;
import convkit.env.Require;
import java.io.File;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.apache.commons.io.FileUtils;
import org.deeplearning4j.common.resources.DL4JResources;
import org.deeplearning4j.common.resources.ResourceType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.zoo.PretrainedType;
import org.deeplearning4j.zoo.ZooModel;
import org.deeplearning4j.zoo.model.ResNet50;
import org.deeplearning4j.zoo.model.VGG16;

/**
 * ImageNet networks from DL4J's model zoo (VGG16, ResNet50), their weights kept in the course's data cache under
 * {@code zoo/}. The weights come from DL4J's download site, or from a mirror named by {@code CONVKIT_ZOO_URL}; when
 * neither is reachable the message says where to put the file.
 *
 * <pre>{@code
 * if (Pretrained.cached("vgg16")) {
 *     ComputationGraph vgg16 = Pretrained.vgg16();     // 138 M parameters, ImageNet weights
 * }
 * }</pre>
 */
public final class Pretrained {

    /** Environment variable (or system property {@code convkit.zoo.url}) with the base URL of a zoo mirror. */
    public static final String URL_VARIABLE = "CONVKIT_ZOO_URL";

    /** DL4J's own download site, used when no mirror is set. */
    private static final String DL4J_URL = DL4JResources.getBaseDownloadURL();

    private Pretrained() {
    }

    /** VGG16 with ImageNet weights (224x224x3 inputs, Caffe-style preprocessing: BGR minus the ImageNet means). */
    public static ComputationGraph vgg16() {
        return load("vgg16");
    }

    /** ResNet50 with ImageNet weights (224x224x3 inputs). */
    public static ComputationGraph resnet50() {
        return load("resnet50");
    }

    /** True when the ImageNet weights of {@code model} ("vgg16" or "resnet50") are already in the cache. */
    public static boolean cached(String model) {
        return Files.isRegularFile(file(model));
    }

    /** Where the weights of {@code model} are (or would be) cached. */
    public static Path file(String model) {
        ZooModel zoo = zoo(model);
        configure();
        String url = zoo.pretrainedUrl(PretrainedType.IMAGENET);
        return DL4JResources.getDirectory(ResourceType.ZOO_MODEL, zoo.modelName()).toPath()
                .resolve(new File(url).getName());
    }

    /** The ImageNet network {@code model}; downloads its weights into the cache first if need be. */
    public static ComputationGraph load(String model) {
        ZooModel zoo = zoo(model);
        Path file = file(model);
        String url = zoo.pretrainedUrl(PretrainedType.IMAGENET);
        if (!Files.isRegularFile(file)) {
            download(model, zoo, url, file);
        } else {
            long expected = zoo.pretrainedChecksum(PretrainedType.IMAGENET);
            long actual = checksum(file);
            if (expected != 0 && actual != expected) {
                throw new IllegalStateException(String.format(Locale.ROOT, "the cached weights %s are damaged (%,d "
                        + "bytes with Adler-32 %d, expected %d), probably an interrupted copy: delete the file and run "
                        + "again to download it from %s, or copy a good copy of %s there", file, size(file), actual,
                        expected, source(), file.getFileName()));
            }
        }
        try {
            return (ComputationGraph) zoo.initPretrained(PretrainedType.IMAGENET);
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("the cached weights " + file + " could not be loaded as " + model + " ("
                    + e.getMessage() + "); DL4J deletes a file that fails its checksum: download it again, or copy a "
                    + "good copy of " + file.getFileName() + " there", e);
        }
    }

    /**
     * Fetches into a temporary file beside the target and checks it against the zoo's Adler-32 checksum before it
     * is moved into place, so an interrupted or truncated download never looks like weights.
     */
    private static void download(String model, ZooModel zoo, String url, Path file) {
        Path temporary = null;
        try {
            temporary = TempFiles.beside(file);
            FileUtils.copyURLToFile(new URL(url), temporary.toFile(), 15_000, 60_000);
            long expected = zoo.pretrainedChecksum(PretrainedType.IMAGENET);
            long actual = checksum(temporary);
            if (expected != 0 && actual != expected) {
                throw new IllegalStateException(String.format(Locale.ROOT, "the ImageNet weights for %s downloaded from "
                        + "%s arrived damaged or truncated (%,d bytes with Adler-32 %d, expected %d); nothing was put in "
                        + "the cache. Run again (a dropped connection); if it happens again, %s has a bad copy of %s: "
                        + "%s, or copy a good copy of the file to %s", model, url, size(temporary), actual, expected,
                        source(), file.getFileName(), mirror() != null ? "replace it on the mirror, or unset "
                        + URL_VARIABLE + " to download from DL4J's site" : "set " + URL_VARIABLE + " to the base URL "
                        + "of a mirror of DL4J's zoo", file.getParent()));
            }
            TempFiles.publish(temporary, file);
        } catch (IOException e) {
            throw new IllegalStateException("ImageNet weights for " + model + " are not available: they are not in the "
                    + "cache (" + file + ") and downloading " + url + " from " + source() + " failed ("
                    + TempFiles.why(e, file.getParent()) + "). On a machine with internet access, download that file and "
                    + "copy it to " + file.getParent() + ", or set " + URL_VARIABLE + " to the base URL of a mirror of "
                    + "DL4J's zoo.", e);
        } finally {
            TempFiles.deleteQuietly(temporary);
        }
    }

    /** The zoo's checksum of a weights file (DL4J checks the same one when it loads them). */
    private static long checksum(Path file) {
        try (var in = new java.util.zip.CheckedInputStream(Files.newInputStream(file), new java.util.zip.Adler32())) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
            return in.getChecksum().getValue();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file + " (" + e.getMessage() + ")", e);
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return -1;
        }
    }

    /** The mirror named by {@link #URL_VARIABLE}, or null when DL4J's own site is used. */
    private static String mirror() {
        String mirror = System.getProperty("convkit.zoo.url", System.getenv(URL_VARIABLE));
        return mirror == null || mirror.isBlank() ? null : mirror;
    }

    /** Where the weights come from, for messages: the mirror and the variable that set it, or DL4J's site. */
    private static String source() {
        return mirror() != null ? "the mirror " + mirror() + " (" + URL_VARIABLE + ")" : "DL4J's site " + DL4J_URL;
    }

    private static void configure() {
        Path zoo = DataFiles.cacheFolder().resolve("zoo");
        try {
            Files.createDirectories(zoo);
        } catch (IOException e) {
            throw new IllegalStateException("cannot create the zoo cache " + zoo + " (" + e.getMessage() + ")", e);
        }
        DL4JResources.setBaseDirectory(zoo.toFile());
        String mirror = mirror();
        DL4JResources.setBaseDownloadURL(mirror == null ? DL4J_URL : mirror.endsWith("/") ? mirror : mirror + "/");
    }

    private static ZooModel zoo(String model) {
        Require.notNull(model, "the zoo model's name", "use \"vgg16\" or \"resnet50\"");
        return switch (model.toLowerCase(Locale.ROOT)) {
            case "vgg16" -> VGG16.builder().build();
            case "resnet50" -> ResNet50.builder().build();
            default -> throw new IllegalArgumentException("no zoo model called '" + model + "': use vgg16 or resnet50");
        };
    }
}
