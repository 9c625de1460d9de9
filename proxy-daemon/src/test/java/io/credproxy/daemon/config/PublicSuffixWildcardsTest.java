package io.credproxy.daemon.config;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PublicSuffixWildcardsTest {

    @ParameterizedTest(name = "refused: {0}")
    @ValueSource(strings = {
        // ICANN section
        "*.com", "*.co.uk", "*.uk", "*.org", "*.dev", "*.com.au", "*.xn--p1ai", "*.рф", "*.COM", "*.co.uk.",
        // private section: platforms where anyone gets a subdomain
        "*.workers.dev", "*.github.io", "*.herokuapp.com", "*.blogspot.com", "*.pages.dev", "*.vercel.app",
        "*.netlify.app", "*.r2.dev", "*.appspot.com", "*.azurewebsites.net", "*.cloudfront.net", "*.s3.amazonaws.com",
        "*.ngrok-free.app", "*.Workers.Dev",
        // googleapis.com is in the private section too: anyone can create a bucket.storage.googleapis.com
        "*.googleapis.com",
        // PSL wildcard entries: every name below *.ck is a public suffix (but www.ck is an exception)
        "*.foo.ck", "*.eu-west-1.compute.amazonaws.com",
        // single labels, listed or not (the PSL's implicit "*" rule)
        "*.internal", "*.local", "*.zz", "*.",
        // not a domain at all
        "*.1.2.3", "*.-bad-.com"
    })
    void refusesWildcardsOverPublicSuffixesNamingTheRule(String host) {
        assertThatThrownBy(() -> PublicSuffixWildcards.check(host, false))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("rule for " + host + ": ")
                .hasMessageContaining("is a public suffix")
                .hasMessageContaining("allow_public_suffix: true");
    }

    @ParameterizedTest(name = "accepted: {0}")
    @ValueSource(strings = {"*.example.com", "*.api.example.co.uk", "*.crm.workers.dev",
        "*.myorg.github.io", "*.www.ck", "*.bücher.de", "*.xn--bcher-kva.de", "*.amazonaws.com", "api.cloudflare.com",
        "com", "workers.dev"})
    void acceptsWildcardsBelowARegistrableDomainAndExactHosts(String host) {
        assertThatCode(() -> PublicSuffixWildcards.check(host, false)).doesNotThrowAnyException();
    }

    @ParameterizedTest(name = "override: {0}")
    @ValueSource(strings = {"*.workers.dev", "*.com", "*.internal"})
    void allowPublicSuffixOverrides(String host) {
        assertThatCode(() -> PublicSuffixWildcards.check(host, true)).doesNotThrowAnyException();
    }
}
