package io.credproxy.daemon.server;

/** Test helper: the body of a raw HTTP/1.1 response with a chunked body, as a client decodes it. */
final class ChunkedBody {
    private ChunkedBody() {}

    static String of(String response) {
        String rest = response.substring(response.indexOf("\r\n\r\n") + 4);
        StringBuilder body = new StringBuilder();
        while (true) {
            int eol = rest.indexOf("\r\n");
            int size = Integer.parseInt(rest.substring(0, eol), 16);
            if (size == 0) {
                return body.toString();
            }
            body.append(rest, eol + 2, eol + 2 + size);
            rest = rest.substring(eol + 2 + size + 2);
        }
    }
}
