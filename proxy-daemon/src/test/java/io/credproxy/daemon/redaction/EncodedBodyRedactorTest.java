package io.credproxy.daemon.redaction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.credproxy.testing.Canaries;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@ExtendWith(LeakWatch.class)
class EncodedBodyRedactorTest {
    private static final ByteBufAllocator ALLOC = PooledByteBufAllocator.DEFAULT;
    private final String token = Canaries.value("api_token");
    private final RedactionPatterns patterns = RedactionPatterns.of(List.of(token));

    interface Codec {
        byte[] encode(byte[] plain) throws IOException;
    }

    static byte[] gzip(byte[] plain) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream gz = new GZIPOutputStream(out)) {
            gz.write(plain);
        }
        return out.toByteArray();
    }

    static byte[] zlib(byte[] plain) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream z = new DeflaterOutputStream(out)) {
            z.write(plain);
        }
        return out.toByteArray();
    }

    static byte[] rawDeflate(byte[] plain) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream z = new DeflaterOutputStream(out, new Deflater(Deflater.DEFAULT_COMPRESSION, true))) {
            z.write(plain);
        }
        return out.toByteArray();
    }

    static byte[] gunzip(byte[] data) throws IOException {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(data))) {
            return in.readAllBytes();
        }
    }

    static byte[] unzlib(byte[] data) throws IOException {
        try (InputStream in = new InflaterInputStream(new ByteArrayInputStream(data))) {
            return in.readAllBytes();
        }
    }

    /** Feeds {@code encoded} in chunks of {@code size} bytes and returns everything emitted. */
    static byte[] run(EncodedBodyRedactor r, byte[] encoded, int size) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int from = 0; from < encoded.length; from += size) {
            ByteBuf chunk = ALLOC.directBuffer().writeBytes(encoded, from, Math.min(size, encoded.length - from));
            try {
                ByteBuf result = r.redact(chunk);
                assertThat(chunk.isReadable()).isFalse();
                out.writeBytes(bytes(result));
                assertThat(chunk.refCnt()).as("input neither released nor kept").isEqualTo(1);
            } finally {
                chunk.release();
            }
        }
        out.writeBytes(bytes(r.finish()));
        return out.toByteArray();
    }

    static byte[] bytes(ByteBuf buf) {
        byte[] b = new byte[buf.readableBytes()];
        buf.getBytes(buf.readerIndex(), b);
        buf.release();
        return b;
    }

    private byte[] body() {
        return ("{\"echo\":\"" + token + "\",\"padding\":\"" + "x".repeat(300) + "\",\"again\":\"" + token + "\"}")
                .getBytes(StandardCharsets.UTF_8);
    }

    @ParameterizedTest(name = "Content-Encoding: {0}")
    @ValueSource(strings = {"gzip", "x-gzip", "GZIP", " gzip ", "identity, gzip"})
    void gzipBodiesAreDecodedRedactedAndReEncodedAtEveryChunkSize(String coding) throws Exception {
        byte[] plain = body();
        byte[] expected = Reference.redact(plain, List.of(token));
        byte[] compressed = gzip(plain);
        for (int size = 1; size <= compressed.length; size += size < 20 ? 1 : 17) {
            EncodedBodyRedactor r = EncodedBodyRedactor.forContentEncoding(coding, patterns, ALLOC);
            assertThat(gunzip(run(r, compressed, size))).as("chunks of %d", size).isEqualTo(expected);
        }
    }

    @Test
    void deflateBodiesZlibWrappedOrRawAreRedactedAndReEncodedZlibWrapped() throws Exception {
        byte[] plain = body();
        byte[] expected = Reference.redact(plain, List.of(token));
        for (Codec codec : new Codec[] {EncodedBodyRedactorTest::zlib, EncodedBodyRedactorTest::rawDeflate}) {
            byte[] compressed = codec.encode(plain);
            for (int size : new int[] {1, 7, 64, compressed.length}) {
                EncodedBodyRedactor r = EncodedBodyRedactor.forContentEncoding("deflate", patterns, ALLOC);
                assertThat(unzlib(run(r, compressed, size))).isEqualTo(expected);
            }
        }
    }

    @Test
    void identityBodiesGoStraightThroughTheStreamRedactor() throws Exception {
        for (String coding : new String[] {null, "", "identity", "IDENTITY"}) {
            EncodedBodyRedactor r = EncodedBodyRedactor.forContentEncoding(coding, patterns, ALLOC);
            assertThat(run(r, body(), 5)).isEqualTo(Reference.redact(body(), List.of(token)));
        }
    }

    @Test
    void secretsAcrossTheDecodersOwnBufferBoundariesAreRedacted() throws Exception {
        // Secrets planted every ~4 KiB through 1 MiB of decoded text, so some straddle every 64 KiB piece boundary.
        StringBuilder sb = new StringBuilder();
        while (sb.length() < 1 << 20) {
            sb.append(token).append(' ').append("lorem ipsum ".repeat(330));
            sb.setLength(sb.length() - (sb.length() % 7));
        }
        byte[] plain = sb.toString().getBytes(StandardCharsets.UTF_8);
        EncodedBodyRedactor r = EncodedBodyRedactor.forContentEncoding("gzip", patterns, ALLOC);
        byte[] out = gunzip(run(r, gzip(plain), 16 * 1024));
        assertThat(new String(out, StandardCharsets.UTF_8)).doesNotContain(token);
        assertThat(out).isEqualTo(Reference.redact(plain, List.of(token)));
    }

    @Test
    void aZipBombCostsCpuButNoMemoryInProportion() throws Exception {
        // 64 MiB of zeros compress to about 64 KiB: a 1000:1 ratio.
        ByteArrayOutputStream bomb = new ByteArrayOutputStream();
        try (OutputStream gz = new GZIPOutputStream(bomb, 64 * 1024)) {
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 64; i++) {
                gz.write(zeros);
            }
        }
        EncodedBodyRedactor r = EncodedBodyRedactor.forContentEncoding("gzip", patterns, ALLOC);
        byte[] out = run(r, bomb.toByteArray(), 16 * 1024);
        assertThat(r.largestDecodedPiece()).as("largest decoded buffer").isLessThanOrEqualTo(1 << 20);
        assertThat(out.length).as("re-encoded output").isLessThan(2 << 20);
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(out))) {
            assertThat(in.transferTo(OutputStream.nullOutputStream())).isEqualTo(64L << 20);
        }
    }

    @Test
    void concatenatedGzipMembersAreAllRedacted() throws Exception {
        ByteArrayOutputStream both = new ByteArrayOutputStream();
        both.writeBytes(gzip(("first " + token).getBytes(StandardCharsets.UTF_8)));
        both.writeBytes(gzip((" second " + token).getBytes(StandardCharsets.UTF_8)));
        EncodedBodyRedactor r = EncodedBodyRedactor.forContentEncoding("gzip", patterns, ALLOC);
        assertThat(new String(gunzip(run(r, both.toByteArray(), 9)), StandardCharsets.UTF_8))
                .isEqualTo("first [REDACTED] second [REDACTED]");
    }

    @Test
    void eachChunkIsFlushedSoStreamedEventsArriveWithoutWaitingForTheEnd() throws Exception {
        EncodedBodyRedactor r = EncodedBodyRedactor.forContentEncoding("deflate", patterns, ALLOC);
        ByteArrayOutputStream upstream = new ByteArrayOutputStream();
        Deflater deflater = new Deflater();
        Inflater client = new Inflater();
        StringBuilder seen = new StringBuilder();
        for (int event = 0; event < 3; event++) {
            String sse = "data: {\"n\":" + event + ",\"echo\":\"" + token + "\"}\n\n";
            deflater.setInput(sse.getBytes(StandardCharsets.UTF_8));
            byte[] buf = new byte[4096];
            int n = deflater.deflate(buf, 0, buf.length, Deflater.SYNC_FLUSH);
            upstream.write(buf, 0, n);
            ByteBuf chunk = ALLOC.heapBuffer().writeBytes(buf, 0, n);
            byte[] out = bytes(r.redact(chunk));
            chunk.release();
            client.setInput(out);
            byte[] plain = new byte[4096];
            int got = client.inflate(plain);
            seen.append(new String(plain, 0, got, StandardCharsets.UTF_8));
            assertThat(seen.toString()).as("after event %d", event).endsWith("data: {\"n\":" + event + ",\"echo\":\"[REDACTED\"}\n\n".replace("[REDACTED", "[REDACTED]"));
        }
        assertThat(seen.toString()).doesNotContain(token);
        r.close();
        deflater.end();
        client.end();
    }

    @ParameterizedTest(name = "refused: {0}")
    @ValueSource(strings = {"br", "zstd", "compress", "x-compress", "gzip, gzip", "gzip, br", "deflate, gzip", "snappy", "gzip;q=1", "aes128gcm"})
    void codingsItCannotDecodeAreRefusedBeforeAnyByteIsForwarded(String coding) {
        assertThatThrownBy(() -> EncodedBodyRedactor.forContentEncoding(coding, patterns, ALLOC))
                .isInstanceOf(UnsupportedContentEncodingException.class)
                .hasMessageContaining("cannot be redacted");
    }

    @Test
    void aCorruptBodyFailsClosedAndReleasesEverything() throws Exception {
        byte[] compressed = gzip(body());
        compressed[compressed.length / 2] ^= 0x5a;
        compressed[compressed.length / 2 + 1] ^= 0x5a;
        EncodedBodyRedactor r = EncodedBodyRedactor.forContentEncoding("gzip", patterns, ALLOC);
        assertThatThrownBy(() -> run(r, compressed, 16)).isInstanceOf(BodyDecodingException.class)
                .hasMessageStartingWith("response body does not decode");
        ByteBuf more = ALLOC.buffer(0);
        assertThatThrownBy(() -> r.redact(more)).isInstanceOf(IllegalStateException.class);
        more.release();

        EncodedBodyRedactor notGzip = EncodedBodyRedactor.forContentEncoding("gzip", patterns, ALLOC);
        ByteBuf plain = ALLOC.heapBuffer().writeBytes(body());
        assertThatThrownBy(() -> notGzip.redact(plain)).isInstanceOf(BodyDecodingException.class);
        plain.release();
    }

    @Test
    void closingMidBodyReleasesWhatIsHeld() throws Exception {
        byte[] compressed = gzip(body());
        EncodedBodyRedactor r = EncodedBodyRedactor.forContentEncoding("gzip", patterns, ALLOC);
        List<byte[]> outs = new ArrayList<>();
        ByteBuf half = ALLOC.heapBuffer().writeBytes(compressed, 0, compressed.length / 2);
        outs.add(bytes(r.redact(half)));
        half.release();
        r.close();
        r.close();
        assertThatThrownBy(r::finish).isInstanceOf(IllegalStateException.class);
        assertThat(new String(outs.get(0), StandardCharsets.ISO_8859_1)).doesNotContain(token);
    }
}
