package io.credproxy.daemon.server;

import io.netty.handler.codec.http.HttpContent;

/**
 * Takes the rest of one client request after its head: forwards it, discards it, or waits for its
 * end before acting (CONNECT). {@link ForwardHandler} feeds the request's body here.
 */
interface RequestSink {
    /** Starts work on the request whose head was just read. */
    void start();

    /** A piece of the body; ownership passes to the sink. */
    void onContent(HttpContent content);

    /** Whether the request's last content has arrived. */
    boolean bodyComplete();

    /** The client's socket read is done (a sink forwarding a body flushes what it brought upstream). */
    default void onClientReadComplete() {}

    /** The client's channel became writable or unwritable; only a sink relaying a response cares. */
    default void onClientWritabilityChanged() {}

    /** The client went away; release everything. */
    void onClientClosed();

    /**
     * The rest of the request cannot be decoded (malformed chunk, premature end): nothing more of it
     * may go anywhere. The sink answers 400 if nothing of a response is out yet, and ends the
     * exchange with the connection closing.
     */
    void onMalformedContent();

    /** The daemon is stopping: the connection closes after this exchange (say so in the response if it has not started). */
    default void drain() {}
}
