package io.credproxy.daemon.admin;

import java.nio.charset.StandardCharsets;

/** {@code GET /ca.pem}: the interception CA's certificate, for clients (and the agent) to trust. */
public final class CaCertificateEndpoint implements AdminEndpoint {
    private final byte[] pem;

    public CaCertificateEndpoint(String certificatePem) {
        this.pem = certificatePem.getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    public AdminResponse handle(AdminRequest request) {
        return AdminResponse.of(200, "application/x-pem-file", pem);
    }
}
