package io.credproxy.daemon.server;

import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2Settings;

/**
 * The HTTP/2 codecs on both sides of the proxy, with their limits in one place (the HTTP/2
 * counterpart of {@link HttpCodecs}).
 *
 * <p>Facing clients, every limit is one a hostile workload would otherwise use to make the daemon
 * work or buffer without bound, each enforced by Netty's codec:
 * <ul>
 *   <li>at most {@value #MAX_CONCURRENT_STREAMS} streams open at once (more are refused with
 *       RST_STREAM REFUSED_STREAM; SETTINGS_MAX_CONCURRENT_STREAMS tells well-behaved clients);
 *   <li>a header list of at most {@value #MAX_HEADER_LIST} bytes decoded (HPACK), the same budget
 *       as an HTTP/1.1 request head: a larger one gets 431 on its stream, one past Netty's GOAWAY
 *       threshold (a quarter more) ends the connection, so a CONTINUATION flood of large frames
 *       stops there;
 *   <li>at most {@value #MAX_SMALL_CONTINUATIONS} small CONTINUATION frames in a row (a flood of
 *       tiny ones that would never reach the header limit);
 *   <li>at most {@value #MAX_RST_PER_WINDOW} RST_STREAM frames per {@value #RST_WINDOW_SECONDS} s
 *       ("rapid reset", CVE-2023-44487), in both directions;
 *   <li>at most {@value #MAX_QUEUED_CONTROL_FRAMES} control frames (SETTINGS and PING acks,
 *       resets) queued for a peer that does not read them (SETTINGS and PING floods,
 *       CVE-2019-9512/9515); past that the connection closes;
 *   <li>at most two empty DATA frames in a row (CVE-2019-9518).
 * </ul>
 * A stream whose flow-control window stays shut is cut off by {@link StreamStallTimeout}.
 */
final class Http2Codecs {
    static final int MAX_CONCURRENT_STREAMS = 100;
    static final int MAX_HEADER_LIST = HttpCodecs.MAX_REQUEST_HEADERS;
    static final int MAX_SMALL_CONTINUATIONS = 16;
    static final int MAX_RST_PER_WINDOW = 200;
    static final int RST_WINDOW_SECONDS = 30;
    static final int MAX_QUEUED_CONTROL_FRAMES = 1000;
    static final int MAX_EMPTY_DATA_FRAMES = 2;
    /**
     * Upstream h2: each stream may have 256 KiB in flight, all streams together 1 MiB (the
     * connection window). Netty's default 64 KiB would cap a download at 64 KiB per round trip (0.6
     * MiB/s at 100 ms); the connection window also bounds what the daemon holds for clients that read
     * slowly, since a stream's data is acknowledged only as its client takes it.
     */
    static final int UPSTREAM_STREAM_WINDOW = 256 * 1024;
    static final int UPSTREAM_CONNECTION_WINDOW = 1024 * 1024;

    private Http2Codecs() {}

    /** The codec of an intercepted client connection that chose h2. */
    static Http2FrameCodec server() {
        return limited(Http2FrameCodecBuilder.forServer()
                .initialSettings(Http2Settings.defaultSettings()
                        .maxConcurrentStreams(MAX_CONCURRENT_STREAMS)
                        .maxHeaderListSize(MAX_HEADER_LIST)));
    }

    /**
     * The codec of an upstream connection that chose h2: no server push (nothing could take it),
     * response headers up to {@link HttpCodecs#MAX_RESPONSE_HEADERS} like HTTP/1.1 responses, larger
     * windows ({@link #UPSTREAM_STREAM_WINDOW}; the connection's is opened in
     * {@link Http2UpstreamConnection}).
     */
    static Http2FrameCodec client() {
        return limited(Http2FrameCodecBuilder.forClient()
                .initialSettings(Http2Settings.defaultSettings()
                        .pushEnabled(false)
                        .initialWindowSize(UPSTREAM_STREAM_WINDOW)
                        .maxHeaderListSize(HttpCodecs.MAX_RESPONSE_HEADERS)));
    }

    private static Http2FrameCodec limited(Http2FrameCodecBuilder builder) {
        return builder
                .validateHeaders(true)
                .decoderEnforceMaxSmallContinuationFrames(MAX_SMALL_CONTINUATIONS)
                .decoderEnforceMaxRstFramesPerWindow(MAX_RST_PER_WINDOW, RST_WINDOW_SECONDS)
                .encoderEnforceMaxRstFramesPerWindow(MAX_RST_PER_WINDOW, RST_WINDOW_SECONDS)
                .encoderEnforceMaxQueuedControlFrames(MAX_QUEUED_CONTROL_FRAMES)
                .decoderEnforceMaxConsecutiveEmptyDataFrames(MAX_EMPTY_DATA_FRAMES)
                .build();
    }
}
