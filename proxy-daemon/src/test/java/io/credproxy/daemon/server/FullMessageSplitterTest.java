package io.credproxy.daemon.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpMessage;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class FullMessageSplitterTest {
    @Test
    void aFullRequestBecomesAHeadAndALastPieceWithItsBodyAndTrailers() {
        EmbeddedChannel ch = new EmbeddedChannel(new FullMessageSplitter());
        DefaultFullHttpRequest full = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/x",
                Unpooled.copiedBuffer("body", StandardCharsets.US_ASCII));
        full.headers().set("authorization", "Bearer x");
        full.trailingHeaders().set("grpc-status", "0");

        ch.writeInbound(full);

        Object head = ch.readInbound();
        assertThat(head).isInstanceOf(HttpRequest.class).isNotInstanceOf(HttpContent.class);
        assertThat(((HttpRequest) head).uri()).isEqualTo("/x");
        assertThat(((HttpRequest) head).headers().get("authorization")).isEqualTo("Bearer x");
        LastHttpContent last = ch.readInbound();
        assertThat(last.content().toString(StandardCharsets.US_ASCII)).isEqualTo("body");
        assertThat(last.trailingHeaders().get("grpc-status")).isEqualTo("0");
        last.release();
        assertThat(full.refCnt()).as("the full message was released, its body lives on in the last piece").isZero();
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void aFullResponseBecomesAHeadAndAnEmptyLastPiece() {
        EmbeddedChannel ch = new EmbeddedChannel(new FullMessageSplitter());
        ch.writeInbound(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE));

        Object head = ch.readInbound();
        assertThat(head).isInstanceOf(HttpResponse.class).isNotInstanceOf(FullHttpMessage.class);
        LastHttpContent last = ch.readInbound();
        assertThat(last.content().readableBytes()).isZero();
        last.release();
    }

    @Test
    void piecesThatAreNotFullMessagesPassUnchanged() {
        EmbeddedChannel ch = new EmbeddedChannel(new FullMessageSplitter());
        LastHttpContent piece = LastHttpContent.EMPTY_LAST_CONTENT;
        ch.writeInbound(piece);
        assertThat((Object) ch.readInbound()).isSameAs(piece);
    }
}
