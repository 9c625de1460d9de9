package io.credproxy.daemon.redaction;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.compression.JdkZlibDecoder;
import io.netty.handler.codec.compression.JdkZlibEncoder;
import io.netty.handler.codec.compression.ZlibWrapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Redacts a response body in its {@code Content-Encoding}: identity directly; {@code gzip},
 * {@code x-gzip} and {@code deflate} decoded, redacted and encoded again, chunk by chunk.
 *
 * <p>Bounded memory, zip-bomb safe: Netty's {@link JdkZlibDecoder} (no allocation cap, so it
 * forwards a buffer whenever it holds 64 KiB rather than failing) hands each decoded piece to the
 * {@link StreamRedactor} and the {@link JdkZlibEncoder} synchronously, and only re-compressed output
 * accumulates; so a small input that inflates to gigabytes costs CPU, never a matching amount of
 * memory. The encoder flushes on every write (Netty's encoder uses {@code SYNC_FLUSH}), so streamed
 * responses (SSE) stay streamed. Concatenated gzip members are decoded (RFC 1952 allows them); a
 * {@code deflate} body may be zlib-wrapped (RFC 1950, as specified) or raw (as some servers send
 * it) and is re-encoded zlib-wrapped. Re-encoding uses level {@value #LEVEL}: the daemon's hop to
 * the client is loopback, where ratio hardly matters and speed does.
 *
 * <p>Contract as {@link StreamRedactor}: {@link #redact} consumes and does not release its input,
 * returns a buffer the caller owns; {@link #finish} at the end of a complete body, {@link #close}
 * when the response is aborted. A body that does not decode (corrupt, wrong coding) throws
 * {@link BodyDecodingException}: the caller must then abort the client connection, never fall back
 * to forwarding raw bytes. Framing: as for {@link StreamRedactor}, and the caller keeps the
 * {@code Content-Encoding} header as it was.
 */
public final class EncodedBodyRedactor implements AutoCloseable {
    static final int LEVEL = 1;

    private final StreamRedactor stream;
    private final EmbeddedChannel decoder;
    private final EmbeddedChannel encoder;
    private final ByteBufAllocator alloc;
    private final List<ByteBuf> encoded = new ArrayList<>();
    private int largestDecodedPiece;
    private boolean closed;

    private EncodedBodyRedactor(RedactionPatterns patterns, ByteBufAllocator alloc, ZlibWrapper decode, ZlibWrapper encode) {
        this.alloc = alloc;
        this.stream = patterns.newStream(alloc);
        if (decode == null) {
            this.decoder = null;
            this.encoder = null;
            return;
        }
        this.encoder = new EmbeddedChannel(new JdkZlibEncoder(encode, LEVEL));
        this.decoder = new EmbeddedChannel(new JdkZlibDecoder(decode, true, 0), new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                ByteBuf decoded = (ByteBuf) msg;
                if (closed) {
                    decoded.release();
                    return;
                }
                try {
                    largestDecodedPiece = Math.max(largestDecodedPiece, decoded.readableBytes());
                    encode(stream.redact(decoded));
                } finally {
                    decoded.release();
                }
            }
        });
        encoder.config().setAllocator(alloc);
        decoder.config().setAllocator(alloc);
    }

    /**
     * A redactor for a body with this {@code Content-Encoding} value ({@code null} or empty for none).
     *
     * @throws UnsupportedContentEncodingException for any coding but identity, gzip, x-gzip and deflate, or a stack of them
     */
    public static EncodedBodyRedactor forContentEncoding(String contentEncoding, RedactionPatterns patterns, ByteBufAllocator alloc)
            throws UnsupportedContentEncodingException {
        List<String> codings = new ArrayList<>();
        if (contentEncoding != null) {
            for (String token : contentEncoding.split(",")) {
                String coding = token.trim().toLowerCase(Locale.ROOT);
                if (!coding.isEmpty() && !coding.equals("identity")) {
                    codings.add(coding);
                }
            }
        }
        if (codings.isEmpty()) {
            return new EncodedBodyRedactor(patterns, alloc, null, null);
        }
        if (codings.size() > 1) {
            throw new UnsupportedContentEncodingException("stacked content codings cannot be redacted: " + String.join(", ", codings));
        }
        return switch (codings.get(0)) {
            case "gzip", "x-gzip" -> new EncodedBodyRedactor(patterns, alloc, ZlibWrapper.GZIP, ZlibWrapper.GZIP);
            case "deflate" -> new EncodedBodyRedactor(patterns, alloc, ZlibWrapper.ZLIB_OR_NONE, ZlibWrapper.ZLIB);
            default -> throw new UnsupportedContentEncodingException("content coding cannot be redacted: "
                    + codings.get(0).replaceAll("[^a-z0-9._-]", "?"));
        };
    }

    /** Redacts the readable bytes of {@code chunk} (consuming them) and returns the encoded output ready now. */
    public ByteBuf redact(ByteBuf chunk) {
        ensureOpen();
        if (decoder == null) {
            return stream.redact(chunk);
        }
        // A copy, not a retained view: the decoder's cumulation may be written into, and must
        // never alias the caller's buffer (which may be a slice of a larger read buffer).
        ByteBuf compressed = alloc.buffer(chunk.readableBytes()).writeBytes(chunk);
        try {
            decoder.writeInbound(compressed);
        } catch (RuntimeException e) {
            close();
            throw new BodyDecodingException("response body does not decode: " + e.getClass().getSimpleName());
        }
        return takeEncoded();
    }

    /** Ends the body: flushes what is held back and the coding's trailer. */
    public ByteBuf finish() {
        ensureOpen();
        if (decoder == null) {
            ByteBuf out = stream.finish();
            closed = true;
            return out;
        }
        try {
            decoder.finishAndReleaseAll();
            encode(stream.finish());
            encoder.finish();
            for (Object o; (o = encoder.readOutbound()) != null; ) {
                encoded.add((ByteBuf) o);
            }
        } catch (RuntimeException e) {
            close();
            throw new BodyDecodingException("response body does not decode: " + e.getClass().getSimpleName());
        }
        ByteBuf out = takeEncoded();
        closed = true;
        return out;
    }

    /** Abandons the body: releases everything held, emits nothing. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (decoder != null) {
            discard(decoder);
            discard(encoder);
            encoded.forEach(ByteBuf::release);
            encoded.clear();
        }
        stream.close();
    }

    /** Closes a channel we are abandoning; a decoder that already failed fails again here, which changes nothing. */
    private static void discard(EmbeddedChannel channel) {
        try {
            channel.finishAndReleaseAll();
        } catch (RuntimeException alreadyReported) {
            channel.releaseInbound();
            channel.releaseOutbound();
        }
    }

    /** The largest decoded buffer seen so far (for tests: bounded whatever the compression ratio). */
    int largestDecodedPiece() {
        return largestDecodedPiece;
    }

    private void encode(ByteBuf redacted) {
        if (!redacted.isReadable()) {
            redacted.release();
            return;
        }
        encoder.writeOutbound(redacted);
        for (Object o; (o = encoder.readOutbound()) != null; ) {
            encoded.add((ByteBuf) o);
        }
    }

    private ByteBuf takeEncoded() {
        if (encoded.isEmpty()) {
            return alloc.buffer(0);
        }
        if (encoded.size() == 1) {
            ByteBuf only = encoded.get(0);
            encoded.clear();
            return only;
        }
        CompositeByteBuf all = alloc.compositeBuffer(encoded.size());
        all.addComponents(true, encoded);
        encoded.clear();
        return all;
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("body redactor already finished or closed");
        }
    }
}
