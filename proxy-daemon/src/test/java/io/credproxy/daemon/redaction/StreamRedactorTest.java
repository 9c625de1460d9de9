package io.credproxy.daemon.redaction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.credproxy.testing.Canaries;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LeakWatch.class)
class StreamRedactorTest {
    private static final ByteBufAllocator ALLOC = PooledByteBufAllocator.DEFAULT;
    private static final String MARK = RedactionPatterns.MARKER;

    private final String token = Canaries.value("api_token");
    private final String other = Canaries.value("bot_token");

    enum Kind { HEAP, DIRECT, COMPOSITE }

    /** Streams {@code input} cut at {@code cuts}, checking buffer ownership and the carry bound at every step. */
    static byte[] stream(RedactionPatterns patterns, byte[] input, List<Integer> cuts, Kind kind) {
        StreamRedactor redactor = patterns.newStream(ALLOC);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int from = 0;
        List<Integer> ends = new ArrayList<>(cuts);
        ends.add(input.length);
        for (int end : ends) {
            ByteBuf chunk = chunk(input, from, end, kind);
            ByteBuf result = redactor.redact(chunk);
            assertThat(chunk.isReadable()).as("input consumed").isFalse();
            assertThat(redactor.held()).as("carry bound").isLessThanOrEqualTo(patterns.maxCarry());
            drain(result, out);
            assertThat(chunk.refCnt()).as("input neither released nor kept by the redactor").isEqualTo(1);
            assertThat(chunk.release()).as("caller's release frees the input").isTrue();
            from = end;
        }
        drain(redactor.finish(), out);
        assertThat(redactor.held()).isZero();
        return out.toByteArray();
    }

    private static ByteBuf chunk(byte[] input, int from, int end, Kind kind) {
        return switch (kind) {
            case HEAP -> ALLOC.heapBuffer(end - from + 1).writeBytes(input, from, end - from);
            case DIRECT -> ALLOC.directBuffer(end - from + 1).writeBytes(input, from, end - from);
            case COMPOSITE -> {
                int mid = from + (end - from) / 2;
                CompositeByteBuf c = ALLOC.compositeBuffer();
                c.addComponent(true, ALLOC.directBuffer().writeBytes(input, from, mid - from));
                c.addComponent(true, ALLOC.heapBuffer().writeBytes(input, mid, end - mid));
                yield c;
            }
        };
    }

    private static void drain(ByteBuf result, ByteArrayOutputStream out) {
        byte[] bytes = new byte[result.readableBytes()];
        result.getBytes(result.readerIndex(), bytes);
        out.writeBytes(bytes);
        // A retained slice shares the input's count, so release() need not return true here: the
        // input's own release in stream() and the leak detector prove the counts.
        result.release();
    }

    private String body() {
        byte[] t = token.getBytes(StandardCharsets.UTF_8);
        return "{\"echo\":\"" + token + "\",\"q\":\"" + URLEncoder.encode("k=" + other, StandardCharsets.UTF_8) + "\","
                + "\"basic\":\"" + Base64.getEncoder().encodeToString(("user:" + token).getBytes(StandardCharsets.UTF_8)) + "\","
                + "\"b64url\":\"" + Base64.getUrlEncoder().withoutPadding().encodeToString(("xy" + other + "!").getBytes(StandardCharsets.UTF_8)) + "\","
                + "\"twice\":\"" + token + token + "\",\"upper\":\"" + token.toUpperCase() + "\",\"len\":" + t.length + "}";
    }

    private RedactionPatterns patterns() {
        return RedactionPatterns.of(List.of(token, other));
    }

    @Test
    void redactsEveryEchoedFormAndEqualsTheReference() {
        byte[] input = body().getBytes(StandardCharsets.UTF_8);
        byte[] out = stream(patterns(), input, List.of(), Kind.HEAP);
        String text = new String(out, StandardCharsets.UTF_8);
        assertThat(text).doesNotContain(token).doesNotContain(other).doesNotContain(token.toUpperCase())
                .contains("\"echo\":\"" + MARK + "\"").contains("\"twice\":\"" + MARK + "\"");
        assertThat(out).isEqualTo(Reference.redact(input, List.of(token, other)));
    }

    @Test
    void everySplitPointGivesTheSameOutput() {
        byte[] input = body().getBytes(StandardCharsets.UTF_8);
        byte[] expected = Reference.redact(input, List.of(token, other));
        RedactionPatterns p = patterns();
        for (int cut = 0; cut <= input.length; cut++) {
            for (Kind kind : Kind.values()) {
                assertThat(stream(p, input, List.of(cut), kind)).as("cut at %d, %s", cut, kind).isEqualTo(expected);
            }
        }
    }

    @Test
    void everyPairOfSplitPointsAroundASecretGivesTheSameOutput() {
        String text = "ab" + token + "cd";
        byte[] input = text.getBytes(StandardCharsets.UTF_8);
        byte[] expected = ("ab" + MARK + "cd").getBytes(StandardCharsets.UTF_8);
        RedactionPatterns p = RedactionPatterns.of(List.of(token));
        for (int a = 0; a <= input.length; a++) {
            for (int b = a; b <= input.length; b++) {
                assertThat(stream(p, input, List.of(a, b), Kind.HEAP)).as("cuts %d,%d", a, b).isEqualTo(expected);
            }
        }
    }

    @Test
    void oneByteChunks() {
        byte[] input = body().getBytes(StandardCharsets.UTF_8);
        List<Integer> cuts = new ArrayList<>();
        for (int i = 1; i < input.length; i++) {
            cuts.add(i);
        }
        assertThat(stream(patterns(), input, cuts, Kind.DIRECT)).isEqualTo(Reference.redact(input, List.of(token, other)));
    }

    @Test
    void randomChunkingOfRandomTextWithPlantedSecrets() {
        Random random = new Random(10);
        String special = "p@ss/w+rd \"q\" <é> & 'x' \\ 日本 %41";
        List<String> values = List.of(token, other, special, token.substring(0, 20));
        RedactionPatterns p = RedactionPatterns.of(values);
        for (int round = 0; round < 150; round++) {
            StringBuilder sb = new StringBuilder();
            while (sb.length() < 2000) {
                int pick = random.nextInt(10);
                if (pick < values.size()) {
                    String v = values.get(pick);
                    sb.append(random.nextBoolean() ? v : new ArrayList<>(SecretForms.of(v)).get(random.nextInt(SecretForms.of(v).size())));
                } else {
                    for (int i = random.nextInt(40); i > 0; i--) {
                        sb.append((char) (' ' + random.nextInt(95)));
                    }
                }
            }
            byte[] input = sb.toString().getBytes(StandardCharsets.UTF_8);
            List<Integer> cuts = new ArrayList<>();
            for (int at = random.nextInt(64); at < input.length; at += 1 + random.nextInt(97)) {
                cuts.add(at);
            }
            byte[] out = stream(p, input, cuts, Kind.values()[round % 3]);
            assertThat(out).as("round %d", round).isEqualTo(Reference.redact(input, values));
            assertThat(new String(out, StandardCharsets.UTF_8)).doesNotContain(token).doesNotContain(other);
        }
    }

    @Test
    void theBlockFilterMissesNoOccurrenceAtAnyOffsetOrCut() {
        // The scan jumps (shortest pattern - 1) bytes at a time where no pattern can start: plant a
        // short and a long secret at every offset of filler that shares their letters, and cut anywhere.
        List<String> values = List.of("abcd", token);
        RedactionPatterns p = RedactionPatterns.of(values);
        Random random = new Random(3);
        for (int offset = 0; offset < 90; offset++) {
            String filler = "dcba abc bcd " + token.substring(0, 12) + " xyzabc ";
            String text = filler.repeat(3).substring(0, offset) + (offset % 2 == 0 ? "ABCD" : token) + filler.repeat(2);
            byte[] input = bytes(text);
            byte[] expected = Reference.redact(input, values);
            assertThat(stream(p, input, List.of(), Kind.HEAP)).as("offset %d", offset).isEqualTo(expected);
            assertThat(stream(p, input, List.of(1 + random.nextInt(input.length - 1)), Kind.HEAP)).as("offset %d cut", offset).isEqualTo(expected);
        }
    }

    @Test
    void aSecretThatIsAPrefixOfAnotherIsRedactedInBothAndAPartialLongerOneKeepsItsTail() {
        String shorter = "abcdef12";
        String longer = "abcdef1234567xyz";
        RedactionPatterns p = RedactionPatterns.of(List.of(shorter, longer));
        String in = "[" + longer + "] [" + shorter + "] [abcdef1234567] [abcdef1234567xy]";
        assertThat(new String(stream(p, bytes(in), List.of(5, 6, 20), Kind.HEAP), StandardCharsets.UTF_8))
                .isEqualTo("[" + MARK + "] [" + MARK + "] [" + MARK + "34567] [" + MARK + "34567xy]");
    }

    @Test
    void overlappingAndAdjacentOccurrencesBecomeOneMarker() {
        RedactionPatterns p = RedactionPatterns.of(List.of("aaaa"));
        assertThat(new String(stream(p, bytes("xaaaaaay"), List.of(3), Kind.HEAP), StandardCharsets.UTF_8)).isEqualTo("x" + MARK + "y");
        RedactionPatterns two = RedactionPatterns.of(List.of("abcd", "cdef"));
        assertThat(new String(stream(two, bytes("-abcdef-abcdabcd-"), List.of(4, 11), Kind.HEAP), StandardCharsets.UTF_8))
                .isEqualTo("-" + MARK + "-" + MARK + "-");
    }

    @Test
    void regexAndJsonSpecialCharactersAreMatchedLiterally() {
        String value = ".*+?[]{}()|^$\\\"/";
        RedactionPatterns p = RedactionPatterns.of(List.of(value));
        assertThat(new String(stream(p, bytes("<" + value + ">"), List.of(3), Kind.HEAP), StandardCharsets.UTF_8)).isEqualTo("<" + MARK + ">");
        assertThat(new String(stream(p, bytes("<.*+?[]{}()|^$x>"), List.of(), Kind.HEAP), StandardCharsets.UTF_8)).isEqualTo("<.*+?[]{}()|^$x>");
        assertThat(new String(stream(p, bytes("\".*+?[]{}()|^$\\\\\\\"\\/\""), List.of(9), Kind.HEAP), StandardCharsets.UTF_8))
                .isEqualTo("\"" + MARK + "\"");
    }

    @Test
    void emptyBodyAndEmptyChunks() {
        RedactionPatterns p = patterns();
        assertThat(stream(p, new byte[0], List.of(), Kind.HEAP)).isEmpty();
        assertThat(stream(p, bytes("abc"), List.of(0, 0, 1, 1, 3), Kind.HEAP)).isEqualTo(bytes("abc"));
    }

    @Test
    void withoutPatternsChunksPassThroughAsSlicesOfTheInput() {
        StreamRedactor r = RedactionPatterns.none().newStream(ALLOC);
        ByteBuf in = ALLOC.heapBuffer().writeBytes(bytes("hello " + token));
        ByteBuf out = r.redact(in);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("hello " + token);
        assertThat(in.refCnt()).isEqualTo(2);
        out.release();
        in.release();
        assertThat(in.refCnt()).isZero();
        r.finish().release();
    }

    @Test
    void aFinishedRedactorRefusesMoreInputAndCloseIsIdempotent() {
        StreamRedactor r = patterns().newStream(ALLOC);
        ByteBuf in = Unpooled.copiedBuffer(bytes(token.substring(0, 10)));
        r.redact(in).release();
        assertThat(r.held()).isPositive();
        r.close();
        r.close();
        assertThat(r.held()).isZero();
        assertThatThrownBy(() -> r.redact(in)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(r::finish).isInstanceOf(IllegalStateException.class);
        in.release();
    }

    @Test
    void aLongBodyWithNoSecretIsEmittedWithoutCopyingWhenNothingIsHeld() {
        StreamRedactor r = RedactionPatterns.of(List.of("zzzzzzzz")).newStream(ALLOC);
        ByteBuf in = ALLOC.directBuffer().writeBytes(bytes("0123456789".repeat(1000)));
        ByteBuf out = r.redact(in);
        assertThat(out.readableBytes()).isEqualTo(10_000);
        in.setByte(0, 'X');
        assertThat(out.getByte(0)).as("a slice sharing the input's memory").isEqualTo((byte) 'X');
        out.release();
        in.release();
        r.finish().release();
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
