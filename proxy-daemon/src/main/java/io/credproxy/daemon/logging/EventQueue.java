package io.credproxy.daemon.logging;

import java.util.Collection;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A bounded queue that many event loops offer to and one writer thread drains, without a lock: the
 * audit log's and the access log's.
 *
 * <p>Why not {@code ArrayBlockingQueue}: its one lock is taken by every offer and held by the
 * writer for a whole {@code drainTo}; an event loop that meets it held parks (seen by
 * EventLoopsNeverBlockIT), and on two shared cores the holder may be descheduled meanwhile. Why not
 * Netty's JCTools queue ({@code PlatformDependent.newFixedMpscQueue}): the access log's queue is made
 * while Logback configures itself, and Netty's platform probe logs through SLF4J at that moment (SLF4J
 * then prints a replay warning on stderr, where the CLI's refusals must be the only line). Here an
 * offer is a CAS on the size and a lock-free append to the JDK's {@code ConcurrentLinkedQueue}; when
 * the queue is full it fails at once.
 *
 * @param <E> the element type
 */
public final class EventQueue<E> {
    private final ConcurrentLinkedQueue<E> items = new ConcurrentLinkedQueue<>();
    private final AtomicInteger size = new AtomicInteger();
    private final int capacity;

    public EventQueue(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive");
        }
        this.capacity = capacity;
    }

    /** Appends {@code e} unless the queue holds {@code capacity} elements already; never waits. */
    public boolean offer(E e) {
        for (int n = size.get(); ; n = size.get()) {
            if (n >= capacity) {
                return false;
            }
            if (size.compareAndSet(n, n + 1)) {
                items.add(e);
                return true;
            }
        }
    }

    /** The oldest element, or {@code null} when empty. */
    public E poll() {
        E e = items.poll();
        if (e != null) {
            size.decrementAndGet();
        }
        return e;
    }

    /** Moves up to {@code max} elements, oldest first, into {@code to}; returns how many. */
    public int drainTo(Collection<? super E> to, int max) {
        int n = 0;
        for (E e; n < max && (e = poll()) != null; n++) {
            to.add(e);
        }
        return n;
    }

    public boolean isEmpty() {
        return size.get() == 0;
    }

    public int size() {
        return size.get();
    }
}
