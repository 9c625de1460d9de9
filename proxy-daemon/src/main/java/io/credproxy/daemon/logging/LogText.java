package io.credproxy.daemon.logging;

/**
 * Makes text from clients and upstreams safe to put in a log line or an audit field: every control
 * or invisible character becomes a visible escape, so no byte a client chose can move a terminal's
 * cursor, ring its bell, change its colours, start a new log line or reorder text on screen.
 *
 * <p>Escaped: C0 controls (NUL ... US, among them BEL, BS, TAB, LF, CR, ESC), DEL, C1 controls
 * (U+0080 to U+009F: what raw bytes 0x80-0x9F of invalid UTF-8 decode to in a request line),
 * format characters (bidirectional overrides such as U+202E, zero-width characters, the BOM), the
 * line and paragraph separators, and unpaired surrogates. A character {@code <= 0xFF} becomes
 * {@code \xHH}, any other {@code \\uHHHH}. Everything else, non-ASCII letters included, stays as it
 * is. The backslash itself is left alone, so escaping twice changes nothing (text escaped for the
 * audit record passes unchanged through the log layout that escapes every line).
 */
public final class LogText {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private LogText() {}

    /** {@code text} with every unsafe character escaped; {@code null} stays {@code null}. */
    public static String escape(CharSequence text) {
        if (text == null) {
            return null;
        }
        int len = text.length();
        StringBuilder out = null;
        for (int i = 0; i < len; ) {
            char c = text.charAt(i);
            int width = 1;
            boolean unsafe;
            if (c >= 0x20 && c < 0x7f) {
                unsafe = false;
            } else if (Character.isHighSurrogate(c) && i + 1 < len && Character.isLowSurrogate(text.charAt(i + 1))) {
                width = 2;
                unsafe = unsafeType(Character.getType(Character.toCodePoint(c, text.charAt(i + 1))));
            } else {
                unsafe = Character.isSurrogate(c) || unsafeType(Character.getType(c)); // a lone surrogate half
            }
            if (unsafe && out == null) {
                out = new StringBuilder(len + 16).append(text, 0, i);
            }
            if (unsafe) {
                for (int k = i; k < i + width; k++) {
                    escapeChar(out, text.charAt(k));
                }
            } else if (out != null) {
                out.append(text, i, i + width);
            }
            i += width;
        }
        return out == null ? text.toString() : out.toString();
    }

    private static void escapeChar(StringBuilder out, char c) {
        if (c <= 0xff) {
            out.append("\\x").append(HEX[c >> 4]).append(HEX[c & 0xf]);
        } else {
            out.append("\\u").append(HEX[c >> 12]).append(HEX[(c >> 8) & 0xf]).append(HEX[(c >> 4) & 0xf]).append(HEX[c & 0xf]);
        }
    }

    private static boolean unsafeType(int type) {
        return type == Character.CONTROL || type == Character.FORMAT || type == Character.LINE_SEPARATOR
                || type == Character.PARAGRAPH_SEPARATOR;
    }
}
