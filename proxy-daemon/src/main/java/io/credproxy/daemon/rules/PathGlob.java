package io.credproxy.daemon.rules;

import java.util.List;

/**
 * One entry of a rule's {@code paths:}: a glob over the decoded, normalised path ({@link RequestPath}).
 *
 * <p>{@code *} stands for any characters within one segment, and a segment that is only {@code *}
 * for exactly one non-empty segment; a segment {@code **} stands for any number of segments, none
 * included ({@code /d1/**} covers {@code /d1}, {@code /d1/} and {@code /d1/x/y}). Everything else
 * matches itself, case-sensitively. The pattern is written decoded, as the path is matched: a
 * pattern holding what {@link RequestPath} refuses ({@code %}, {@code ;}, a backslash, a control
 * character, a dot or empty segment) could never match, so it is refused when the configuration is
 * read. Matching is dynamic programming over segments: linear in path times pattern length, however
 * many {@code **} a pattern holds.
 */
public final class PathGlob {
    private static final String ANY_SEGMENTS = "**";

    private final String pattern;
    private final String[] segments;

    private PathGlob(String pattern, String[] segments) {
        this.pattern = pattern;
        this.segments = segments;
    }

    /**
     * @throws IllegalArgumentException naming what is wrong with the pattern
     */
    public static PathGlob parse(String pattern) {
        if (pattern == null || !pattern.startsWith("/")) {
            throw new IllegalArgumentException("path pattern '" + pattern + "' must start with /");
        }
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c < 0x20 || c == 0x7f || c == '%' || c == ';' || c == '\\') {
                throw new IllegalArgumentException("path pattern '" + pattern
                        + "' holds a character no normalised path has (%, ;, \\ or a control character); write it decoded");
            }
        }
        String[] segments = pattern.substring(1).split("/", -1);
        for (int i = 0; i < segments.length; i++) {
            String s = segments[i];
            if (s.equals(".") || s.equals("..")) {
                throw new IllegalArgumentException("path pattern '" + pattern + "' holds a dot segment");
            }
            if (s.isEmpty() && i < segments.length - 1) {
                throw new IllegalArgumentException("path pattern '" + pattern + "' holds an empty segment (//)");
            }
            if (s.contains(ANY_SEGMENTS) && !s.equals(ANY_SEGMENTS)) {
                throw new IllegalArgumentException("path pattern '" + pattern + "': ** must be a whole segment");
            }
        }
        return new PathGlob(pattern, segments);
    }

    /** Whether the normalised path's segments match. */
    public boolean matches(RequestPath path) {
        return matches(path.segments());
    }

    boolean matches(List<String> path) {
        int m = segments.length;
        int n = path.size();
        // after[j]: pattern segments i.. match path segments j..; computed from the last pattern segment back.
        boolean[] after = new boolean[n + 1];
        after[n] = true;
        for (int i = m - 1; i >= 0; i--) {
            boolean[] here = new boolean[n + 1];
            String p = segments[i];
            if (p.equals(ANY_SEGMENTS)) {
                here[n] = after[n];
                for (int j = n - 1; j >= 0; j--) {
                    here[j] = after[j] || here[j + 1];
                }
            } else {
                for (int j = 0; j < n; j++) {
                    here[j] = after[j + 1] && segmentMatches(p, path.get(j));
                }
            }
            after = here;
        }
        return after[0];
    }

    /** {@code *} is any run of characters; a lone {@code *} needs at least one. */
    static boolean segmentMatches(String pattern, String segment) {
        if (pattern.equals("*")) {
            return !segment.isEmpty();
        }
        int p = 0;
        int s = 0;
        int star = -1;
        int resume = 0;
        while (s < segment.length()) {
            if (p < pattern.length() && pattern.charAt(p) != '*' && pattern.charAt(p) == segment.charAt(s)) {
                p++;
                s++;
            } else if (p < pattern.length() && pattern.charAt(p) == '*') {
                star = p++;
                resume = s;
            } else if (star >= 0) {
                p = star + 1;
                s = ++resume;
            } else {
                return false;
            }
        }
        while (p < pattern.length() && pattern.charAt(p) == '*') {
            p++;
        }
        return p == pattern.length();
    }

    @Override
    public String toString() {
        return pattern;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PathGlob other && other.pattern.equals(pattern);
    }

    @Override
    public int hashCode() {
        return pattern.hashCode();
    }
}
