package io.credproxy.daemon.redaction;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;

/** The obviously correct, slow redaction the streaming one must equal: mark every occurrence, one marker per run. */
final class Reference {
    private Reference() {}

    static byte[] redact(byte[] input, Collection<String> values) {
        List<byte[]> patterns = values.stream().flatMap(v -> SecretForms.of(v).stream())
                .map(f -> f.getBytes(StandardCharsets.UTF_8)).toList();
        boolean[] covered = new boolean[input.length];
        for (byte[] p : patterns) {
            for (int i = 0; i + p.length <= input.length; i++) {
                if (regionMatches(input, i, p)) {
                    for (int j = i; j < i + p.length; j++) {
                        covered[j] = true;
                    }
                }
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < input.length; i++) {
            if (!covered[i]) {
                out.write(input[i]);
            } else if (i == 0 || !covered[i - 1]) {
                out.writeBytes(RedactionPatterns.MARKER_BYTES);
            }
        }
        return out.toByteArray();
    }

    private static boolean regionMatches(byte[] in, int at, byte[] p) {
        for (int k = 0; k < p.length; k++) {
            if (fold(in[at + k]) != fold(p[k])) {
                return false;
            }
        }
        return true;
    }

    private static int fold(byte b) {
        int c = b & 0xff;
        return c >= 'A' && c <= 'Z' ? c + 32 : c;
    }
}
