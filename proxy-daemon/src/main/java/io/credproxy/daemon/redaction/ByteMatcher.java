package io.credproxy.daemon.redaction;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;

/**
 * An Aho-Corasick automaton over bytes, ASCII case-insensitive, compiled to a dense transition
 * table: one array read per input byte, whatever the number of patterns.
 *
 * <p>Written here because no well-kept Maven Central library matches bytes as a stream:
 * {@code org.ahocorasick:ahocorasick} and the double-array-trie ports work on {@code String}s and
 * cannot carry their state from one buffer to the next, which a chunked body needs.
 *
 * <p>Case-insensitive on purpose: hex digits in {@code %2f}/{@code %2F} and {@code \}{@code u00e9}
 * come in either case (or mixed) depending on the encoder, and enumerating the mixes is
 * exponential. The price is that a case variant of a secret is redacted too, which is harmless.
 *
 * <p>Immutable and thread-safe; build one per set of secret values and share it. Memory is
 * {@code 4 * states * classes} bytes, where classes is the number of distinct case-folded bytes in
 * the patterns plus one: about 200 KB for four 48-character tokens (20 forms, 1,424 states), about
 * 2 MB for four values full of characters every encoder treats differently (264 forms).
 *
 * <p>States are stored pre-multiplied by the class count (so a step is {@code table[state + class]})
 * with the sign bit set on states where some pattern ends, so the scan loop needs no other lookup.
 */
final class ByteMatcher {
    static final int MATCH_FLAG = 0x8000_0000;

    private final int[] classOf = new int[256];
    private final int classes;
    private final int[] table;
    /** Per state (not pre-multiplied): the longest pattern that ends here, 0 if none. */
    private final int[] matchLength;
    /** Per state: the longest suffix of the input seen that can still grow into a match. */
    private final int[] keep;
    private final int maxPatternLength;
    /**
     * Wu-Manber's block filter, exact because every pattern is at least {@code skip + 1} bytes: the
     * case-folded byte pairs found in the first {@code skip + 1} bytes of any pattern, as a 64 Ki-bit
     * set. In the initial state at position i, when the pair at i + skip - 1 and i + skip is not in
     * the set, no pattern can start anywhere in [i, i + skip) (it would hold that pair within its
     * first skip + 1 bytes), so the scan jumps skip bytes ahead and stays in the initial state.
     */
    private final long[] blocks = new long[1024];
    private final int skip;

    ByteMatcher(List<byte[]> patterns) {
        int nextClass = 1;
        for (byte[] p : patterns) {
            for (byte b : p) {
                int f = fold(b);
                if (classOf[f] == 0) {
                    classOf[f] = nextClass++;
                }
            }
        }
        for (int c = 'A'; c <= 'Z'; c++) {
            classOf[c] = classOf[c + 32];
        }
        classes = nextClass;

        int capacity = 1 + patterns.stream().mapToInt(p -> p.length).sum();
        int[] trie = new int[capacity * classes];
        Arrays.fill(trie, -1);
        int[] depth = new int[capacity];
        int[] ends = new int[capacity];
        boolean[] hasChild = new boolean[capacity];
        int states = 1;
        int longest = 0;
        for (byte[] p : patterns) {
            int s = 0;
            for (byte b : p) {
                int slot = s * classes + classOf[b & 0xff];
                if (trie[slot] < 0) {
                    trie[slot] = states;
                    depth[states] = depth[s] + 1;
                    states++;
                }
                hasChild[s] = true;
                s = trie[slot];
            }
            ends[s] = Math.max(ends[s], p.length);
            longest = Math.max(longest, p.length);
        }
        maxPatternLength = longest;
        matchLength = new int[states];
        keep = new int[states];
        table = new int[states * classes];
        int[] fail = new int[states];
        ArrayDeque<Integer> queue = new ArrayDeque<>();
        // Breadth first: a state's failure target is shallower, so it is complete before it is used.
        for (int c = 0; c < classes; c++) {
            int child = trie[c];
            table[c] = child < 0 ? 0 : child;
            if (child > 0) {
                fail[child] = 0;
                queue.add(child);
            }
        }
        keep[0] = 0;
        while (!queue.isEmpty()) {
            int s = queue.poll();
            matchLength[s] = Math.max(ends[s], matchLength[fail[s]]);
            keep[s] = hasChild[s] ? depth[s] : keep[fail[s]];
            for (int c = 0; c < classes; c++) {
                int child = trie[s * classes + c];
                if (child < 0) {
                    table[s * classes + c] = table[fail[s] * classes + c];
                } else {
                    table[s * classes + c] = child;
                    fail[child] = table[fail[s] * classes + c];
                    queue.add(child);
                }
            }
        }
        // Pre-multiply and flag.
        for (int i = 0; i < table.length; i++) {
            int target = table[i];
            table[i] = target * classes | (matchLength[target] > 0 ? MATCH_FLAG : 0);
        }
        int shortest = patterns.stream().mapToInt(p -> p.length).min().orElse(0);
        skip = Math.max(0, shortest - 1);
        for (byte[] p : patterns) {
            for (int o = 0; o + 1 < shortest; o++) {
                int pair = fold(p[o]) << 8 | fold(p[o + 1]);
                blocks[pair >>> 6] |= 1L << pair;
            }
        }
    }

    /** The initial state. */
    static int start() {
        return 0;
    }

    /** Per-byte class; index with {@code b & 0xff}. Shared, do not modify. */
    int[] classOf() {
        return classOf;
    }

    /** The block filter; see {@link #blocks}. Shared, do not modify. */
    long[] blocks() {
        return blocks;
    }

    /** How far the block filter jumps: the shortest pattern minus one (0: no filter). */
    int skip() {
        return skip;
    }

    /** ASCII lower case of a byte, as the filter and the classes see it. */
    static int fold(byte b) {
        int c = b & 0xff;
        return c >= 'A' && c <= 'Z' ? c + 32 : c;
    }

    /** The transition table; see the class comment. Shared, do not modify. */
    int[] table() {
        return table;
    }

    /** The length of the longest pattern ending in {@code state} (a pre-multiplied state, flag cleared). */
    int matchLength(int state) {
        return matchLength[state / classes];
    }

    /** How many of the last input bytes may still start a match: at most the longest pattern minus one. */
    int keep(int state) {
        return keep[state / classes];
    }

    /** Whether any pattern occurs in {@code bytes}. */
    boolean occursIn(byte[] bytes) {
        int s = 0;
        for (byte b : bytes) {
            int t = table[s + classOf[b & 0xff]];
            if (t < 0) {
                return true;
            }
            s = t;
        }
        return false;
    }

    int maxPatternLength() {
        return maxPatternLength;
    }

    int stateCount() {
        return matchLength.length;
    }
}
