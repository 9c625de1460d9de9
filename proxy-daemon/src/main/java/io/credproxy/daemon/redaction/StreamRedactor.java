package io.credproxy.daemon.redaction;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import java.util.Arrays;

/**
 * Replaces every occurrence of a secret's forms in a body that arrives in chunks, across chunk
 * boundaries, holding back at most the longest form minus one byte.
 *
 * <p>After each chunk it emits everything that can no longer be part of a match: the automaton's
 * state says how many trailing bytes are still a possible start ({@link ByteMatcher#keep}); those
 * stay in a small carry for the next chunk and {@link #finish} flushes them. Each maximal run of
 * matched bytes (matches that overlap or touch merge) becomes one {@link RedactionPatterns#MARKER}.
 *
 * <p>Framing: the output length differs from the input's, so the caller must drop the response's
 * {@code Content-Length} and send the body chunked (HTTP/1.1) or close-delimited (HTTP/1.0), drop
 * {@code Content-MD5}, {@code Digest}, {@code Repr-Digest} and {@code Content-Digest}, and not
 * forward partial content: strip {@code Range}/{@code If-Range} from the request of an exchange that
 * carries a secret, since a range starting inside a secret would cut every pattern short.
 *
 * <p>Buffers: {@link #redact} reads all readable bytes of its argument and does not release it;
 * every buffer returned belongs to the caller (it may be a retained slice of the input, a
 * composite, or a new buffer; possibly empty). No buffer is held between calls (the carry is a heap
 * array, wiped by {@link #finish} and {@link #close}). One instance per body; not thread-safe.
 */
public final class StreamRedactor implements AutoCloseable {
    private final ByteMatcher matcher;
    private final ByteBufAllocator alloc;
    private final int[] classOf;
    private final int[] table;
    private final long[] blocks;
    private final int skip;
    private int state = ByteMatcher.start();

    private byte[] carry;
    private int carryLen;
    /** Matched ranges in window coordinates (carry then current chunk): sorted, disjoint, not touching. */
    private int[] starts = new int[8];
    private int[] ends = new int[8];
    private int count;
    /** Whether the last byte emitted was matched, so a run that continues gets no second marker. */
    private boolean lastEmittedCovered;
    private static final int MAX_SCRATCH_GROWTH = 64 * 1024;
    private byte[] scratch = new byte[0];
    private boolean done;

    StreamRedactor(ByteMatcher matcher, ByteBufAllocator alloc) {
        this.matcher = matcher;
        this.alloc = alloc;
        this.classOf = matcher.classOf();
        this.table = matcher.table();
        this.blocks = matcher.blocks();
        this.skip = matcher.skip();
        this.carry = new byte[Math.max(1, matcher.maxPatternLength())];
    }

    /** Redacts the readable bytes of {@code chunk} (consuming them) and returns what can be sent now. */
    public ByteBuf redact(ByteBuf chunk) {
        if (done) {
            throw new IllegalStateException("redactor already finished");
        }
        int n = chunk.readableBytes();
        int r = chunk.readerIndex();
        if (matcher.maxPatternLength() == 0) {
            return chunk.readRetainedSlice(n); // nothing to look for
        }
        byte[] arr;
        int off;
        if (chunk.hasArray()) {
            arr = chunk.array();
            off = chunk.arrayOffset() + r;
        } else {
            if (scratch.length < n) {
                // Sized to what arrives, doubling: a small response (most API answers) costs a few
                // bytes, not a 16 KiB array allocated, and wiped, per body.
                scratch = new byte[Math.max(n, Math.min(2 * scratch.length, MAX_SCRATCH_GROWTH))];
            }
            chunk.getBytes(r, scratch, 0, n);
            arr = scratch;
            off = 0;
        }
        scan(arr, off, n);
        int safe = carryLen + n - matcher.keep(state & ~ByteMatcher.MATCH_FLAG);
        ByteBuf out = emit(chunk, r, safe);
        keepTail(arr, off, n, safe);
        chunk.skipBytes(n);
        return out;
    }

    /** Emits what is held back; the body is complete. The redactor cannot be used afterwards. */
    public ByteBuf finish() {
        if (done) {
            throw new IllegalStateException("redactor already finished");
        }
        ByteBuf out = emit(null, 0, carryLen);
        close();
        return out;
    }

    /** Drops what is held back without emitting it (the response was aborted). Idempotent. */
    @Override
    public void close() {
        done = true;
        Arrays.fill(carry, (byte) 0);
        Arrays.fill(scratch, (byte) 0);
        carryLen = 0;
        count = 0;
    }

    /** Bytes held back for the next chunk (for tests: never more than the longest pattern minus one). */
    int held() {
        return carryLen;
    }

    private void scan(byte[] arr, int off, int n) {
        final int[] table = this.table;
        final int[] classOf = this.classOf;
        final long[] blocks = this.blocks;
        final int skip = this.skip;
        int s = state;
        int base = carryLen + 1 - off;
        int i = off;
        final int end = off + n;
        while (i < end) {
            if (s == 0 && skip > 1) {
                // Most of a body holds no match: jump over it (see ByteMatcher#blocks).
                while (i + skip < end) {
                    int pair = ByteMatcher.fold(arr[i + skip - 1]) << 8 | ByteMatcher.fold(arr[i + skip]);
                    if ((blocks[pair >>> 6] & (1L << pair)) != 0) {
                        break;
                    }
                    i += skip;
                }
            }
            int t = table[s + classOf[arr[i] & 0xff]];
            s = t & ~ByteMatcher.MATCH_FLAG;
            if (t < 0) {
                int matchEnd = base + i;
                addMatch(matchEnd - matcher.matchLength(s), matchEnd);
            }
            i++;
        }
        state = s;
    }

    private void addMatch(int start, int end) {
        while (count > 0 && ends[count - 1] >= start) {
            count--;
            start = Math.min(start, starts[count]);
        }
        if (count == starts.length) {
            starts = Arrays.copyOf(starts, count * 2);
            ends = Arrays.copyOf(ends, count * 2);
        }
        starts[count] = start;
        ends[count] = end;
        count++;
    }

    /** The output for window positions [0, safe). */
    private ByteBuf emit(ByteBuf chunk, int readerIndex, int safe) {
        if (safe <= 0) {
            return Unpooled.EMPTY_BUFFER;
        }
        if (count == 0 || starts[0] >= safe) {
            lastEmittedCovered = false;
            if (carryLen == 0) {
                return chunk.retainedSlice(readerIndex, safe);
            }
            ByteBuf held = alloc.buffer(Math.min(safe, carryLen)).writeBytes(carry, 0, Math.min(safe, carryLen));
            if (safe <= carryLen) {
                return held;
            }
            CompositeByteBuf both = alloc.compositeBuffer(2);
            return both.addComponents(true, held, chunk.retainedSlice(readerIndex, safe - carryLen));
        }
        ByteBuf out = alloc.buffer(safe + RedactionPatterns.MARKER_BYTES.length);
        int pos = 0;
        for (int i = 0; i < count && starts[i] < safe; i++) {
            copy(out, chunk, readerIndex, pos, starts[i]);
            if (!(starts[i] == 0 && lastEmittedCovered)) {
                out.writeBytes(RedactionPatterns.MARKER_BYTES);
            }
            pos = Math.min(ends[i], safe);
        }
        copy(out, chunk, readerIndex, pos, safe);
        lastEmittedCovered = pos == safe && coveredAt(safe - 1);
        return out;
    }

    private boolean coveredAt(int position) {
        for (int i = 0; i < count; i++) {
            if (starts[i] <= position && position < ends[i]) {
                return true;
            }
        }
        return false;
    }

    /** Copies window positions [from, to) to {@code out}, from the carry and then the chunk. */
    private void copy(ByteBuf out, ByteBuf chunk, int readerIndex, int from, int to) {
        if (from >= to) {
            return;
        }
        if (from < carryLen) {
            int end = Math.min(to, carryLen);
            out.writeBytes(carry, from, end - from);
            from = end;
        }
        if (from < to) {
            out.writeBytes(chunk, readerIndex + from - carryLen, to - from);
        }
    }

    /** Keeps window positions [safe, carryLen + n) as the new carry and shifts the matched ranges. */
    private void keepTail(byte[] arr, int off, int n, int safe) {
        int total = carryLen + n;
        int newLen = total - safe;
        if (newLen > carry.length) {
            carry = Arrays.copyOf(carry, newLen); // cannot happen: keep() < longest pattern
        }
        int fromCarry = Math.max(0, carryLen - safe);
        if (fromCarry > 0) {
            System.arraycopy(carry, safe, carry, 0, fromCarry);
        }
        int chunkFrom = Math.max(safe, carryLen) - carryLen;
        System.arraycopy(arr, off + chunkFrom, carry, fromCarry, n - chunkFrom);
        Arrays.fill(carry, newLen, carry.length, (byte) 0);
        carryLen = newLen;
        int kept = 0;
        for (int i = 0; i < count; i++) {
            if (ends[i] > safe) {
                starts[kept] = Math.max(starts[i], safe) - safe;
                ends[kept] = ends[i] - safe;
                kept++;
            }
        }
        count = kept;
    }
}
