package io.credproxy.daemon.secrets;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Replaces any secret value found in a text with {@code [redacted:NAME]}.
 *
 * <p>The last line of defence for text that leaves the daemon (log messages, error bodies): the
 * code never puts values there on purpose, this catches the accident, such as an upstream echoing a
 * request header back in an error. Looks for each value as is, URL-encoded and Base64-encoded.
 * Values shorter than {@value #MIN_LENGTH} characters are skipped: they would match ordinary text.
 */
public final class Redactor {
    static final int MIN_LENGTH = 4;

    private record Needle(String text, String name) {}

    private final List<Needle> needles = new ArrayList<>();

    public Redactor(Secrets secrets) {
        for (Map.Entry<String, String> e : secrets.values().entrySet()) {
            String value = e.getValue();
            if (value.length() < MIN_LENGTH) {
                continue;
            }
            add(value, e.getKey());
            add(URLEncoder.encode(value, StandardCharsets.UTF_8), e.getKey());
            add(Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8)), e.getKey());
        }
        // Longest first, so a value containing another is replaced whole.
        needles.sort(Comparator.comparingInt((Needle n) -> n.text().length()).reversed());
    }

    private void add(String text, String name) {
        if (needles.stream().noneMatch(n -> n.text().equals(text))) {
            needles.add(new Needle(text, name));
        }
    }

    public String redact(String text) {
        if (text == null || needles.isEmpty()) {
            return text;
        }
        String out = text;
        for (Needle n : needles) {
            if (out.contains(n.text())) {
                out = out.replace(n.text(), "[redacted:" + n.name() + "]");
            }
        }
        return out;
    }
}
