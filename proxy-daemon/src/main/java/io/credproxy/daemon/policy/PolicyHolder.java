package io.credproxy.daemon.policy;

import java.util.concurrent.atomic.AtomicReference;

/**
 * Holds the policy in force; a reload swaps it whole.
 *
 * <p>Connections read {@link #current()} when they decide, so requests in flight finish with the
 * values they started with.
 */
public final class PolicyHolder {
    private final AtomicReference<Policy> current;

    public PolicyHolder(Policy initial) {
        this.current = new AtomicReference<>(initial);
    }

    public Policy current() {
        return current.get();
    }

    public void swap(Policy next) {
        current.set(next);
    }
}
