package io.credproxy.demo;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * One HTTP/1.1 GET written and read by hand, the way code that talks to a raw socket does it (which is
 * what the socket demos are about). {@code Connection: close}, so the response ends at end of stream.
 */
final class RawHttp {
    private RawHttp() {}

    /** Sends the GET with the target's own {@code Host} and returns the status code and body. */
    static Result get(InputStream in, OutputStream out, DemoTarget target) throws IOException {
        return get(in, out, target, target.authority());
    }

    /** Sends the GET with {@code host} as its {@code Host} header, whatever the connection's destination. */
    static Result get(InputStream in, OutputStream out, DemoTarget target, String host) throws IOException {
        StringBuilder request = new StringBuilder("GET " + target.pathAndQuery() + " HTTP/1.1\r\nHost: " + host + "\r\n");
        target.headers().forEach((name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
        request.append("Connection: close\r\n\r\n");
        out.write(request.toString().getBytes(StandardCharsets.US_ASCII));
        out.flush();
        ByteArrayOutputStream response = new ByteArrayOutputStream();
        in.transferTo(response);
        String text = response.toString(StandardCharsets.UTF_8);
        int headEnd = text.indexOf("\r\n\r\n");
        String statusLine = text.lines().findFirst().orElse("");
        int status = statusLine.length() >= 12 ? Integer.parseInt(statusLine.substring(9, 12)) : -1;
        return new Result(status, headEnd < 0 ? "" : text.substring(headEnd + 4));
    }

    record Result(int status, String body) {}
}
