package io.credproxy.daemon.redaction;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What to redact from one exchange's response: every {@link SecretForms form} of the secret values
 * injected into its request, compiled once into a {@link ByteMatcher}.
 *
 * <p>Immutable and thread-safe: build it when a rule's secrets are resolved (at start and on
 * reload) and share it between exchanges; each response gets its own {@link #newStream}.
 * Everything it matches is replaced by {@link #MARKER}; overlapping and adjacent matches become one
 * marker. The patterns themselves are secret-derived: this class has no {@code toString} and its
 * errors never include them.
 */
public final class RedactionPatterns {
    /** What a secret becomes; valid inside JSON strings, HTML text and header values. */
    public static final String MARKER = "[REDACTED]";
    static final byte[] MARKER_BYTES = MARKER.getBytes(StandardCharsets.US_ASCII);

    private static final RedactionPatterns NONE = new RedactionPatterns(List.of());

    private final ByteMatcher matcher;
    private final int patternCount;

    private RedactionPatterns(List<byte[]> patterns) {
        this.matcher = new ByteMatcher(patterns);
        this.patternCount = patterns.size();
    }

    /** The patterns for these secret values (values under {@value SecretForms#MIN_VALUE_LENGTH} characters are skipped). */
    public static RedactionPatterns of(Collection<String> secretValues) {
        Set<String> forms = new LinkedHashSet<>();
        for (String value : secretValues) {
            forms.addAll(SecretForms.of(value));
        }
        if (forms.isEmpty()) {
            return NONE;
        }
        List<byte[]> bytes = new ArrayList<>(forms.size());
        forms.forEach(f -> bytes.add(f.getBytes(StandardCharsets.UTF_8)));
        return new RedactionPatterns(bytes);
    }

    /** Nothing to redact: streams pass bytes through untouched. */
    public static RedactionPatterns none() {
        return NONE;
    }

    public boolean isEmpty() {
        return patternCount == 0;
    }

    /** How many distinct forms are searched for. */
    public int patternCount() {
        return patternCount;
    }

    /** The most bytes a stream holds back between chunks: the longest form minus one. */
    public int maxCarry() {
        return Math.max(0, matcher.maxPatternLength() - 1);
    }

    /** A redactor for one response body (or one trailer block); not thread-safe. */
    public StreamRedactor newStream(ByteBufAllocator alloc) {
        return new StreamRedactor(matcher, alloc);
    }

    /**
     * Redacts a complete text whose characters are bytes (ISO-8859-1), as Netty keeps header values
     * and reason phrases; returns the same instance when nothing matched.
     */
    public String redactLatin1(String text) {
        if (patternCount == 0 || text == null || text.isEmpty()) {
            return text;
        }
        byte[] in = text.getBytes(StandardCharsets.ISO_8859_1);
        if (!matcher.occursIn(in)) {
            return text;
        }
        StreamRedactor stream = new StreamRedactor(matcher, UnpooledByteBufAllocator.DEFAULT);
        ByteBuf input = Unpooled.wrappedBuffer(in);
        ByteBuf head = stream.redact(input);
        ByteBuf tail = stream.finish();
        try {
            return head.toString(StandardCharsets.ISO_8859_1) + tail.toString(StandardCharsets.ISO_8859_1);
        } finally {
            head.release();
            tail.release();
            input.release();
        }
    }

    ByteMatcher matcher() {
        return matcher;
    }
}
