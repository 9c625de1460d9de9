package io.credproxy.daemon.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.credproxy.testing.Canaries;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code credproxy check} with per-app identity: which app can use which credential on which hosts, methods and paths. */
class CheckAppsTest {
    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int check(Path config) {
        return CredproxyCli.run(new PrintWriter(out, true), new PrintWriter(err, true), "check", "--config", config.toString());
    }

    private Path config(String tokenMode) throws Exception {
        Canaries.writeEnvFile(dir.resolve("env"), Canaries.values("CF_TOKEN", "PLACES_KEY", "TG_TOKEN"));
        Path token = Files.writeString(dir.resolve("billing.token"), Canaries.value("billing_token"));
        Files.setPosixFilePermissions(token, PosixFilePermissions.fromString(tokenMode));
        return Files.writeString(dir.resolve("c.yaml"), """
                secrets: env
                ca_dir: ca
                apps:
                  tito: {uids: [1001]}
                  billing: {uids: [1002, 1003], token_file: billing.token}
                identity: {unknown: deny}
                rules:
                  - host: api.cloudflare.com
                    apps: [tito]
                    methods: [GET, POST]
                    paths: ["/client/v4/accounts/*/d1/**"]
                    headers: {Authorization: "Bearer ${CF_TOKEN}"}
                  - host: places.googleapis.com
                    apps: [billing, tito]
                    headers: {X-Goog-Api-Key: "${PLACES_KEY}"}
                  - host: api.telegram.org
                    substitute: {"proxy-managed": "${TG_TOKEN}"}
                """);
    }

    @Test
    void listsPerAppTheCredentialsItMayUseAndWhere() throws Exception {
        assertThat(check(config("rw-r-----"))).as(err.toString()).isZero();

        String text = out.toString();
        assertThat(text).contains("headers Authorization; apps [tito], methods [GET, POST], "
                + "paths [/client/v4/accounts/*/d1/**]  secrets: CF_TOKEN");
        assertThat(text).contains("apps (2), identified by the kernel's socket owner; peers of no app: deny:");
        String tito = text.substring(text.indexOf("  tito  uids 1001"), text.indexOf("  billing  uids"));
        assertThat(tito).contains("token none")
                .contains("CF_TOKEN on api.cloudflare.com  methods GET,POST  paths /client/v4/accounts/*/d1/**")
                .contains("PLACES_KEY on places.googleapis.com  methods any  paths any")
                .contains("TG_TOKEN on api.telegram.org  methods any  paths any");
        String billing = text.substring(text.indexOf("  billing  uids 1002,1003"), text.indexOf("  unknown"));
        assertThat(billing).contains("billing.token (ok)").doesNotContain("CF_TOKEN").contains("PLACES_KEY");
        assertThat(text).contains("  unknown  refused (407)");
    }

    @Test
    void anUnsafeTokenFileFailsTheCheckNamingIt() throws Exception {
        assertThat(check(config("rw-r--r--"))).isEqualTo(2);
        assertThat(err.toString()).contains("token file of app billing").contains("is open to others or writable by its group");
    }

    @Test
    void withoutAppsItSaysNamesAreAsClaimed() throws Exception {
        Canaries.writeEnvFile(dir.resolve("env"), Canaries.values("CF_TOKEN"));
        Path config = Files.writeString(dir.resolve("plain.yaml"), """
                secrets: env
                ca_dir: ca
                rules:
                  - {host: api.cloudflare.com, headers: {Authorization: "Bearer ${CF_TOKEN}"}}
                """);
        assertThat(check(config)).isZero();
        assertThat(out.toString()).contains("apps: none configured: an app is the name the client claims")
                .contains("CF_TOKEN on api.cloudflare.com  methods any  paths any");
    }
}
