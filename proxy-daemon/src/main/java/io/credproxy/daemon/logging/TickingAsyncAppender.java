package io.credproxy.daemon.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import ch.qos.logback.core.spi.AppenderAttachable;
import ch.qos.logback.core.spi.AppenderAttachableImpl;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * Hands log events to the appenders it holds from a thread of its own, so that the thread that logs
 * (a Netty event loop) never writes to stderr, which under systemd is the journal's socket.
 *
 * <p>Why not Logback's {@code AsyncAppender}: its worker waits in {@code take()}, so on a quiet
 * daemon every line wakes it, a futex call and a context switch per request. This worker is never
 * woken: it looks for events every {@code tickMillis} (20 ms) when it found none, and writes what
 * gathered in one go. It never blocks the caller either: when the queue is full the event is dropped
 * and counted ({@link #dropped}); the audit log carries the same facts and counts its own drops.
 * {@link #stop} writes what is still queued.
 */
public final class TickingAsyncAppender extends UnsynchronizedAppenderBase<ILoggingEvent> implements AppenderAttachable<ILoggingEvent> {
    private final AppenderAttachableImpl<ILoggingEvent> appenders = new AppenderAttachableImpl<>();
    private final LongAdder dropped = new LongAdder();
    private int queueSize = 8192;
    private long tickMillis = 20;
    private EventQueue<ILoggingEvent> queue;
    private Thread worker;

    public void setQueueSize(int queueSize) {
        this.queueSize = queueSize;
    }

    public void setTickMillis(long tickMillis) {
        this.tickMillis = tickMillis;
    }

    /** Events dropped because the queue was full. */
    public long dropped() {
        return dropped.sum();
    }

    @Override
    public void start() {
        if (queueSize < 1 || tickMillis < 1) {
            addError("queueSize and tickMillis must be at least 1");
            return;
        }
        queue = new EventQueue<>(queueSize); // lock-free for the event loops that offer (see EventQueue)
        worker = new Thread(this::run, "credproxy-log-" + getName());
        worker.setDaemon(true);
        super.start();
        worker.start();
    }

    @Override
    protected void append(ILoggingEvent event) {
        event.prepareForDeferredProcessing(); // the message and thread name, fixed now
        if (!queue.offer(event)) {
            dropped.increment();
        }
    }

    private void run() {
        List<ILoggingEvent> batch = new ArrayList<>(256);
        while (isStarted()) {
            if (queue.drainTo(batch, 1024) == 0) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(tickMillis));
                continue;
            }
            write(batch);
        }
        queue.drainTo(batch, Integer.MAX_VALUE);
        write(batch);
    }

    private void write(List<ILoggingEvent> batch) {
        for (ILoggingEvent event : batch) {
            appenders.appendLoopOnAppenders(event);
        }
        batch.clear();
    }

    /** Stops taking events and writes those still queued (waiting up to a second for the worker). */
    @Override
    public void stop() {
        if (!isStarted()) {
            return;
        }
        super.stop();
        LockSupport.unpark(worker);
        try {
            worker.join(TimeUnit.SECONDS.toMillis(1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void addAppender(Appender<ILoggingEvent> appender) {
        appenders.addAppender(appender);
    }

    @Override
    public Iterator<Appender<ILoggingEvent>> iteratorForAppenders() {
        return appenders.iteratorForAppenders();
    }

    @Override
    public Appender<ILoggingEvent> getAppender(String name) {
        return appenders.getAppender(name);
    }

    @Override
    public boolean isAttached(Appender<ILoggingEvent> appender) {
        return appenders.isAttached(appender);
    }

    @Override
    public void detachAndStopAllAppenders() {
        appenders.detachAndStopAllAppenders();
    }

    @Override
    public boolean detachAppender(Appender<ILoggingEvent> appender) {
        return appenders.detachAppender(appender);
    }

    @Override
    public boolean detachAppender(String name) {
        return appenders.detachAppender(name);
    }
}
