package io.credproxy.daemon.rules;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A request path as a rule's {@code paths:} globs see it: percent-decoded once, dot segments removed
 * (RFC 3986 section 5.2.4), and the same path in its raw form, segment for segment, to forward.
 *
 * <p>A scoped rule is only as strong as the agreement between what the daemon matched and what the
 * upstream serves. So every spelling on which servers disagree is refused rather than guessed:
 * <ul>
 *   <li>an encoded slash ({@code %2f}) or backslash ({@code %5c}, {@code \}): decoding would change
 *       the segments, and some servers do, some do not;
 *   <li>{@code ;} (path parameters: Tomcat reads {@code /..;/} as {@code /../});
 *   <li>a {@code %} that decodes to another escape ({@code %252e}: a server that decodes twice sees
 *       {@code .}); one decoding is the standard, a second is refused, not performed;
 *   <li>malformed escapes, bytes that are not strict UTF-8 (overlong forms such as {@code %c0%ae}),
 *       NUL and other control characters, spaces and non-ASCII characters sent unencoded;
 *   <li>empty segments ({@code //}) except a trailing slash, and segments of dots other than
 *       {@code .} and {@code ..} ({@code ...}: Windows servers trim trailing dots).
 * </ul>
 * The raw form keeps every remaining segment's bytes exactly as sent (so {@code %2B} stays
 * {@code %2B}), minus the dot segments: forwarding it, the upstream sees no dot segment to resolve
 * in a different way than the daemon did.
 *
 * @param decoded the normalised, decoded path the globs match, starting with {@code /}
 * @param raw the same path with each segment as the client encoded it, to forward
 * @param segments the decoded segments ({@code /a/b/} is {@code a}, {@code b}, {@code ""})
 */
public record RequestPath(String decoded, String raw, List<String> segments) {
    public RequestPath {
        segments = List.copyOf(segments);
    }

    /**
     * Normalises an origin-form path (without the query).
     *
     * @throws IllegalArgumentException with a short reason that does not quote the path
     */
    public static RequestPath of(String rawPath) {
        if (rawPath == null || rawPath.isEmpty() || rawPath.charAt(0) != '/') {
            throw new IllegalArgumentException("not an absolute path");
        }
        for (int i = 0; i < rawPath.length(); i++) {
            char c = rawPath.charAt(i);
            if (c <= 0x20 || c >= 0x7f) {
                throw new IllegalArgumentException("control, space or non-ASCII character in the path");
            }
            if (c == '\\') {
                throw new IllegalArgumentException("backslash in the path");
            }
            if (c == ';') {
                throw new IllegalArgumentException("';' (path parameters) in the path");
            }
        }
        String[] rawSegments = rawPath.substring(1).split("/", -1);
        List<String> outRaw = new ArrayList<>(rawSegments.length);
        List<String> outDecoded = new ArrayList<>(rawSegments.length);
        boolean trailingSlash = false;
        for (int i = 0; i < rawSegments.length; i++) {
            boolean last = i == rawSegments.length - 1;
            String decoded = decodeSegment(rawSegments[i]);
            trailingSlash = false;
            if (decoded.isEmpty()) {
                if (!last) {
                    throw new IllegalArgumentException("empty path segment (//)");
                }
                trailingSlash = true;
            } else if (decoded.equals(".")) {
                trailingSlash = last;
            } else if (decoded.equals("..")) {
                if (!outDecoded.isEmpty()) {
                    outDecoded.remove(outDecoded.size() - 1);
                    outRaw.remove(outRaw.size() - 1);
                }
                trailingSlash = last;
            } else {
                if (onlyDotsAndSpaces(decoded)) {
                    throw new IllegalArgumentException("a path segment of only dots or spaces (other than . and ..)");
                }
                outDecoded.add(decoded);
                outRaw.add(rawSegments[i]);
            }
        }
        if (trailingSlash || outDecoded.isEmpty()) {
            outDecoded.add("");
            outRaw.add("");
        }
        return new RequestPath("/" + String.join("/", outDecoded), "/" + String.join("/", outRaw), outDecoded);
    }

    private static String decodeSegment(String raw) {
        if (raw.indexOf('%') < 0) {
            return raw;
        }
        ByteBuffer bytes = ByteBuffer.allocate(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c != '%') {
                bytes.put((byte) c);
                continue;
            }
            int hi = i + 2 < raw.length() ? Character.digit(raw.charAt(i + 1), 16) : -1;
            int lo = hi >= 0 ? Character.digit(raw.charAt(i + 2), 16) : -1;
            if (hi < 0 || lo < 0) {
                throw new IllegalArgumentException("malformed percent-encoding in the path");
            }
            int b = hi << 4 | lo;
            if (b == '/' || b == '\\') {
                throw new IllegalArgumentException("encoded slash or backslash in the path");
            }
            if (b < 0x20 || b == 0x7f) {
                throw new IllegalArgumentException("encoded NUL or control character in the path");
            }
            bytes.put((byte) b);
            i += 2;
        }
        bytes.flip();
        String decoded;
        try {
            decoded = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(bytes).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("path is not UTF-8 (overlong or invalid bytes)");
        }
        // A '%' here came from %25. Followed by two hex digits it is an escape a second decoding would
        // turn into something else (%252e -> %2e -> .): refused, never decoded twice.
        for (int p = decoded.indexOf('%'); p >= 0; p = decoded.indexOf('%', p + 1)) {
            if (p + 2 < decoded.length() && Character.digit(decoded.charAt(p + 1), 16) >= 0
                    && Character.digit(decoded.charAt(p + 2), 16) >= 0) {
                throw new IllegalArgumentException("double percent-encoding in the path");
            }
        }
        return decoded;
    }

    private static boolean onlyDotsAndSpaces(String segment) {
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            if (c != '.' && c != ' ') {
                return false;
            }
        }
        return true;
    }
}
