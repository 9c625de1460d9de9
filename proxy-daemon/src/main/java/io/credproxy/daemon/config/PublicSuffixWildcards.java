package io.credproxy.daemon.config;

import com.google.common.net.InternetDomainName;
import java.net.IDN;
import java.util.Locale;

/**
 * Refuses a credential rule's wildcard whose suffix is a public suffix: {@code *.com},
 * {@code *.co.uk}, {@code *.workers.dev}, {@code *.github.io}. Anyone can register a name below a
 * public suffix, so such a rule hands the credential to whoever registers {@code attacker.workers.dev}.
 *
 * <p>The list is Mozilla's Public Suffix List with its private section (hosting platforms such as
 * workers.dev, herokuapp.com, github.io, blogspot.com), as compiled into Guava's
 * {@link InternetDomainName}: {@code isPublicSuffix()} covers both sections, wildcard and exception
 * entries ({@code *.ck}, {@code !www.ck}). Chosen over crawler-commons' {@code EffectiveTldFinder}
 * because Guava 33.8.0's list is about a year fresher than crawler-commons 1.6's (2025-11-27), and
 * Guava's strict IP literal parser serves the egress policy too. Updating the list means updating Guava.
 *
 * <p>A single-label suffix ({@code *.internal}, {@code *.local}) is refused as well, by the PSL
 * algorithm's implicit {@code *} rule (an unlisted top-level label is a public suffix), so a typo'd
 * or newly delegated TLD cannot slip through. {@code allow_public_suffix: true} on the rule overrides
 * all of this, for an operator who owns such a namespace.
 */
public final class PublicSuffixWildcards {
    private PublicSuffixWildcards() {}

    /**
     * Checks a rule's host pattern.
     *
     * @param ruleHost the rule's host as configured ({@code *.example.com}); exact hosts always pass
     * @param allowPublicSuffix the rule's {@code allow_public_suffix}
     * @throws ConfigException naming the rule and the suffix
     */
    public static void check(String ruleHost, boolean allowPublicSuffix) throws ConfigException {
        if (allowPublicSuffix || !ruleHost.startsWith("*.")) {
            return;
        }
        String suffix = ruleHost.substring(2);
        if (isPublicSuffix(suffix)) {
            throw new ConfigException("rule for " + ruleHost + ": '" + suffix + "' is a public suffix, so anyone can register a"
                    + " name below it and receive this rule's credential; name the hosts, or set allow_public_suffix: true");
        }
    }

    /**
     * Whether names directly below {@code suffix} can be registered by anyone: a PSL entry (ICANN or
     * private section), a single label, or a name that is not a valid domain (refused rather than guessed).
     */
    public static boolean isPublicSuffix(String suffix) {
        String s = suffix.trim().toLowerCase(Locale.ROOT);
        if (s.endsWith(".")) {
            s = s.substring(0, s.length() - 1);
        }
        if (s.isEmpty() || s.indexOf('.') < 0) {
            return true;
        }
        try {
            String unicode = IDN.toUnicode(s, IDN.ALLOW_UNASSIGNED);
            return InternetDomainName.from(s).isPublicSuffix() || InternetDomainName.from(unicode).isPublicSuffix();
        } catch (IllegalArgumentException e) {
            return true;
        }
    }
}
