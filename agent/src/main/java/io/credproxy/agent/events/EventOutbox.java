package io.credproxy.agent.events;

import io.credproxy.protocol.wire.AgentEvent;
import io.credproxy.protocol.wire.AgentEventJson;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The events waiting to be sent, and how they go: a bounded queue that never blocks the offering
 * thread, batches of at most {@code maxBatch} per request, and what could not be delivered kept for
 * the next round within the same bound (the newest kept). Sending is the caller's to serialise
 * ({@link EventSender} holds a lock around {@link #send}).
 */
final class EventOutbox {
    private final EventTransport transport;
    private final int capacity;
    private final int maxBatch;
    private final ArrayBlockingQueue<AgentEvent> queue;
    private final List<AgentEvent> unsent = new ArrayList<>(); // guarded by the sender's lock
    private final List<AgentEvent> ofTheStart = new ArrayList<>(); // guarded by itself
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong sent = new AtomicLong();

    EventOutbox(EventTransport transport, int capacity, int maxBatch) {
        this.transport = transport;
        this.capacity = capacity;
        this.maxBatch = maxBatch;
        this.queue = new ArrayBlockingQueue<>(capacity);
    }

    /** Queues {@code event}, or drops and counts it when the queue is full; never waits. */
    void offer(AgentEvent event) {
        if (!queue.offer(event)) {
            dropped.incrementAndGet();
        }
    }

    /** Holds an event of the agent's own start: it goes with the next round that sends anything, or any periodic one. */
    void holdFromTheStart(AgentEvent event) {
        synchronized (ofTheStart) {
            ofTheStart.add(event); // bounded: one per client woven before the start
        }
    }

    void countDropped() {
        dropped.incrementAndGet();
    }

    long dropped() {
        return dropped.get();
    }

    long sent() {
        return sent.get();
    }

    /**
     * Sends what is queued, and what could not be sent last time, in batches.
     *
     * @param orNothing when nothing but the start's events is waiting, send nothing (the exit)
     * @return whether everything was delivered
     */
    boolean send(boolean orNothing) {
        List<AgentEvent> pending = new ArrayList<>(unsent);
        unsent.clear();
        queue.drainTo(pending, capacity);
        if (!orNothing || !pending.isEmpty()) {
            synchronized (ofTheStart) {
                pending.addAll(0, ofTheStart);
                ofTheStart.clear();
            }
        }
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
}
