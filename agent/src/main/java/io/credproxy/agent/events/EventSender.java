package io.credproxy.agent.events;

import io.credproxy.agent.bootstrap.AgentEvents;
import io.credproxy.protocol.wire.AgentEvent;
import io.credproxy.protocol.wire.AgentEventKind;
import java.util.concurrent.TimeUnit;
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
 *
 * <p>The {@code instrumented} events of the agent's own start (the clients woven before
 * {@link #start()}: the socket fence, the default selector) are not worth a connection on their
 * own: they go with the first round of the thread (about a second after the start) or with any other
 * event, but a JVM that exits before that with nothing else to say sends nothing, and so pays nothing
 * at exit for its network stack. Errors are never held back.
 */
public final class EventSender implements AgentEvents {
    /** Events held at most (queued and waiting to be sent again). */
    public static final int CAPACITY = 4096;
    /** Events per request; 500 of the largest events stay well under the daemon's 1 MiB limit. */
    public static final int MAX_BATCH = 500;
    static final long FLUSH_INTERVAL_MILLIS = 1000;
    static final long EXIT_WAIT_MILLIS = 1000;

    private final String app;
    private final EventOutbox outbox;
    private final long flushIntervalMillis;
    private final ReentrantLock sending = new ReentrantLock();
    private final Object wakeUp = new Object();
    private volatile boolean started;
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
        this.outbox = new EventOutbox(transport, capacity, maxBatch);
        this.flushIntervalMillis = flushIntervalMillis;
    }

    /** A sender with the standard bounds; events queue until {@link #start()}. */
    public EventSender(String app, EventTransport transport) {
        this(app, transport, CAPACITY, MAX_BATCH, FLUSH_INTERVAL_MILLIS);
    }

    /** Starts the sending thread and the shutdown hook that sends what is left at exit. */
    public void start() {
        started = true;
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
            AgentEvent event = AgentEvent.instrumented(System.currentTimeMillis(), app, client);
            if (started) {
                outbox.offer(event);
            } else {
                outbox.holdFromTheStart(event);
            }
        } catch (Throwable e) {
            outbox.countDropped();
        }
    }

    @Override
    public void instrumentationFailed(String client, String hook) {
        try {
            outbox.offer(AgentEvent.instrumentationFailed(System.currentTimeMillis(), app, client, hook));
        } catch (Throwable e) {
            outbox.countDropped();
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
            outbox.offer(AgentEvent.socket(kind, System.currentTimeMillis(), app, client, host, port, frame));
        } catch (Throwable e) {
            outbox.countDropped();
        }
    }

    /** Events dropped so far: queue full, or not valid. */
    public long dropped() {
        return outbox.dropped();
    }

    /** Events the daemon accepted or refused so far (delivered either way). */
    public long sent() {
        return outbox.sent();
    }

    /**
     * Sends what is queued, and what could not be sent last time: one round, on the sender thread or
     * in tests.
     *
     * @return whether everything was delivered
     */
    boolean flush() {
        sending.lock();
        try {
            return outbox.send(false);
        } finally {
            sending.unlock();
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
                    outbox.send(true);
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
