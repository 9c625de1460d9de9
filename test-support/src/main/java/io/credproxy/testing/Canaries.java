package io.credproxy.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Random secret values for tests that prove a value never leaks: search every byte written for them.
 *
 * <p>Each canary is unique per run, so a hit can only come from the code under test.
 */
public final class Canaries {
    private static final SecureRandom RANDOM = new SecureRandom();

    private Canaries() {}

    /** A fresh value like {@code canary-NAME-<32 hex>}. */
    public static String value(String name) {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return "canary-" + name.toLowerCase(java.util.Locale.ROOT).replace('_', '-') + "-" + HexFormat.of().formatHex(bytes);
    }

    /** Fresh values for the given secret names. */
    public static Map<String, String> values(String... names) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String name : names) {
            out.put(name, value(name));
        }
        return out;
    }

    /** Writes {@code KEY=VALUE} lines to {@code file} with mode 0600. */
    public static Path writeEnvFile(Path file, Map<String, String> values) throws IOException {
        StringBuilder out = new StringBuilder("# test secrets\n");
        values.forEach((k, v) -> out.append(k).append('=').append(v).append('\n'));
        Files.writeString(file, out, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        return file;
    }

    /** Every place (file path or label) below {@code roots} or in {@code texts} where any value appears. */
    public static List<String> findLeaks(Map<String, String> secrets, List<Path> roots, Map<String, String> texts) throws IOException {
        List<String> hits = new ArrayList<>();
        for (Path root : roots) {
            if (!Files.exists(root)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(root)) {
                for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                    String content = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
                    secrets.forEach((name, value) -> {
                        if (content.contains(value)) {
                            hits.add(file + " holds " + name);
                        }
                    });
                }
            }
        }
        texts.forEach((label, text) -> secrets.forEach((name, value) -> {
            if (text != null && text.contains(value)) {
                hits.add(label + " holds " + name);
            }
        }));
        return hits;
    }
}
