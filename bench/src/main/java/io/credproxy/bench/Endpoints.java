package io.credproxy.bench;

import java.net.URI;

/**
 * Where the scenarios send their requests; every endpoint echoes the {@code Authorization} it received.
 *
 * @param echo GET, answers 200 with the received {@code Authorization} value as the body (nginx)
 * @param download GET, a body of {@code downloadBytes} with the value in {@code X-Seen-Auth} (nginx)
 * @param downloadBytes the size of the download
 * @param upload POST, answers with the number of body bytes read and {@code X-Seen-Auth}
 * @param sse GET {@code ?events=N&intervalMs=M}, a {@code text/event-stream} with {@code X-Seen-Auth}
 */
public record Endpoints(URI echo, URI download, long downloadBytes, URI upload, URI sse) {
    public static final String SEEN_AUTH_HEADER = "X-Seen-Auth";
}
