package io.credproxy.bench;

import java.net.URI;

/**
 * Where the scenarios send their requests; every answer carries the upstream's {@link AuthVerdict}
 * on the {@code Authorization} it received.
 *
 * @param echo GET, answers 200 with the verdict as the body (nginx)
 * @param download GET, a body of {@code downloadBytes}, verdict in {@code X-Auth-Check} (nginx)
 * @param downloadBytes the size of the download
 * @param upload POST, answers with the number of body bytes read, verdict in {@code X-Auth-Check}
 * @param sse GET {@code ?events=N&intervalMs=M}, a {@code text/event-stream}, verdict in {@code X-Auth-Check}
 * @param echoH2 like {@code echo}, on a server that offers h2 by ALPN (nginx); {@code null}: none
 * @param grpc {@code host:port} of the benchmark's gRPC upstream; {@code null}: none
 */
public record Endpoints(URI echo, URI download, long downloadBytes, URI upload, URI sse, URI echoH2, String grpc) {
    public Endpoints(URI echo, URI download, long downloadBytes, URI upload, URI sse) {
        this(echo, download, downloadBytes, upload, sse, null, null);
    }

    /** A path on the benchmark's own upstream (the host behind {@link #sse}), e.g. {@code /download?bytes=N&echo=1}. */
    public URI helper(String pathAndQuery) {
        return sse.resolve(pathAndQuery);
    }
}
