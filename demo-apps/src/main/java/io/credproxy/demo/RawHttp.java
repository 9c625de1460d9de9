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

    /** Sends the GET and returns the status code and body (after the head, as text). */
    static Result get(InputStream in, OutputStream out, DemoTarget target) throws IOException {
        String request = "GET " + target.pathAndQuery() + " HTTP/1.1\r\n"
                + "Host: " + target.host() + (target.port() == 443 ? "" : ":" + target.port()) + "\r\n"
                + "Authorization: " + target.authorization() + "\r\n"
                + "Connection: close\r\n\r\n";
        out.write(request.getBytes(StandardCharsets.US_ASCII));
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
