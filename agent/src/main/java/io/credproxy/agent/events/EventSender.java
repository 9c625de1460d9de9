package io.credproxy.agent.events;

import io.credproxy.agent.bootstrap.AgentEvents;
import io.credproxy.protocol.wire.AgentEvent;
import io.credproxy.protocol.wire.AgentEventJson;
import io.credproxy.protocol.wire.AgentEventKind;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Reports the agent's events to the daemon ({@code POST http://ADMIN/events}), batched, from a
 * thread of its own.
 *
 * <p>The {@link AgentEvents} methods run on application threads, inside connects and class loading:
 * they only offer the event to a bounded queue and return; when the queue is full the event is
 * dropped and counted, never waited for. A daemon thread sends what is queued about once a second,
 * at most {@value #MAX_BATCH} events per request; a batch the daemon could not take (it is down) is
 * kept for the next round, within the same bound, and one it refused as bad is dropped. At JVM exit a
 * shutdown hook sends what is left itself (handing it to the thread would cost the exit a wake-up
 * and a join), waiting at most {@value #EXIT_WAIT_MILLIS} ms for a round already under way, and at
 * most the transport's timeouts for its own.
 */
public final class EventSender implements AgentEvents {
    /** Events held at most (queued and waiting to be sent again). */
    public static final int CAPACITY = 4096;
    /** Events per request; 500 of the largest events stay well under the daemon's 1 MiB limit. */
    public static final int MAX_BATCH = 500;
    static final long FLUSH_INTERVAL_MILLIS = 1000;
    static final long EXIT_WAIT_MILLIS = 1000;

    private final String app;
    private final EventTransport transport;
    private final int capacity;
    private final int maxBatch;
    private final long flushIntervalMillis;
    private final ArrayBlockingQueue<AgentEvent> queue;
    private final List<AgentEvent> unsent = new ArrayList<>(); // guarded by sending
    private final ReentrantLock sending = new ReentrantLock();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong sent = new AtomicLong();
    private final Object wakeUp = new Object();
    private volatile boolean closing;

    /**
     * @param app the app name every event carries
     * @param transport where batches go
     * @param capacity events held at most
     * @param maxBatch events per request
     * @param flushIntervalMillis how long the thread waits between rounds
     */
    public EventSender(String app, EventTransport transport, int capacity, int maxBatch, long flushIntervalMillis) {
        this.app = app;
        this.transport = transport;
        this.capacity = capacity;
        this.maxBatch = maxBatch;
        this.flushIntervalMillis = flushIntervalMillis;
        this.queue = new ArrayBlockingQueue<>(capacity);
    }

    /** A sender with the standard bounds; events queue until {@link #start()}. */
    public EventSender(String app, EventTransport transport) {
        this(app, transport, CAPACITY, MAX_BATCH, FLUSH_INTERVAL_MILLIS);
    }

    /** Starts the sending thread and the shutdown hook that sends what is left at exit. */
    public void start() {
        // Anonymous classes, not lambdas: this runs in premain, where the first lambda costs start-up time.
        Thread sender = new Thread(new Runnable() {
            @Override
            public void run() {
                runLoop();
            }
        }, "credproxy-events");
        sender.setDaemon(true);
        sender.start();
        try {
            Runtime.getRuntime().addShutdownHook(new Thread(new Runnable() {
                @Override
                public void run() {
                    close(EXIT_WAIT_MILLIS);
                }
            }, "credproxy-events-exit"));
        } catch (IllegalStateException e) {
            // the JVM is already shutting down: nothing to wait for
        }
    }

    @Override
    public void instrumented(String client) {
        try {
            offer(AgentEvent.instrumented(System.currentTimeMillis(), app, client));
        } catch (Throwable e) {
            dropped.incrementAndGet();
        }
    }

    @Override
    public void instrumentationFailed(String client, String hook) {
        try {
            offer(AgentEvent.instrumentationFailed(System.currentTimeMillis(), app, client, hook));
        } catch (Throwable e) {
            dropped.incrementAndGet();
        }
    }

    @Override
    public void socketTunneled(String client, String host, int port, String frame) {
        socket(AgentEventKind.SOCKET_TUNNELED, client, host, port, frame);
    }

    @Override
    public void socketBlocked(String client, String host, int port, String frame) {
        socket(AgentEventKind.SOCKET_BLOCKED, client, host, port, frame);
    }

    private void socket(AgentEventKind kind, String client, String host, int port, String frame) {
        try {
            offer(AgentEvent.socket(kind, System.currentTimeMillis(), app, client, host, port, frame));
        } catch (Throwable e) {
            dropped.incrementAndGet();
        }
    }

    private void offer(AgentEvent event) {
        if (!queue.offer(event)) {
            dropped.incrementAndGet();
        }
    }

    /** Events dropped so far: queue full, or not valid. */
    public long dropped() {
        return dropped.get();
    }

    /** Events the daemon accepted or refused so far (delivered either way). */
    public long sent() {
        return sent.get();
    }

    /**
     * Sends what is queued, and what could not be sent last time, in batches of at most
     * {@code maxBatch}: one round, on the sender thread, at exit, or in tests.
     *
     * @return whether everything was delivered
     */
    boolean flush() {
        sending.lock();
        try {
            return sendAll();
        } finally {
            sending.unlock();
        }
    }

    private boolean sendAll() {
        List<AgentEvent> pending = new ArrayList<>(unsent);
        unsent.clear();
        queue.drainTo(pending, capacity);
        for (int from = 0; from < pending.size(); from += maxBatch) {
            List<AgentEvent> batch = pending.subList(from, Math.min(pending.size(), from + maxBatch));
            try {
                transport.send(AgentEventJson.toJsonArray(batch));
                sent.addAndGet(batch.size());
            } catch (EventTransport.Rejected e) {
                sent.addAndGet(batch.size()); // delivered and refused: sending it again cannot help
            } catch (IOException | RuntimeException e) {
                keepForLater(pending.subList(from, pending.size()));
                return false;
            }
        }
        return true;
    }

    /** Keeps {@code events} for the next round, the newest {@code capacity} of them at most. */
    private void keepForLater(List<AgentEvent> events) {
        int excess = events.size() - capacity;
        if (excess > 0) {
            dropped.addAndGet(excess);
            unsent.addAll(events.subList(excess, events.size()));
        } else {
            unsent.addAll(events);
        }
    }

    /** The sender thread: a round about every interval until {@link #close}, which sends the last one. */
    private void runLoop() {
        while (!closing) {
            synchronized (wakeUp) {
                if (!closing) {
                    try {
                        wakeUp.wait(flushIntervalMillis);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }
            if (!closing) {
                try {
                    flush();
                } catch (Throwable e) {
                    // never let the thread die on a bad round; the next one tries again
                }
            }
        }
    }

    /**
     * Stops the thread and sends what is left from the calling thread (the shutdown hook), waiting
     * at most {@code waitMillis} for a round the thread has under way. Never throws.
     */
    public void close(long waitMillis) {
        closing = true;
        synchronized (wakeUp) {
            wakeUp.notifyAll();
        }
        try {
            if (sending.tryLock(waitMillis, TimeUnit.MILLISECONDS)) {
                try {
                    sendAll();
                } finally {
                    sending.unlock();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable e) {
            // the JVM is exiting; what could not be sent is lost
        }
    }
}
