package io.credproxy.daemon.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class EventQueueTest {
    @Test
    void refusesOffersBeyondItsCapacityAndDrainsOldestFirst() {
        EventQueue<Integer> queue = new EventQueue<>(3);
        assertThat(List.of(queue.offer(1), queue.offer(2), queue.offer(3), queue.offer(4))).containsExactly(true, true, true, false);
        List<Integer> out = new ArrayList<>();
        assertThat(queue.drainTo(out, 2)).isEqualTo(2);
        assertThat(out).containsExactly(1, 2);
        assertThat(queue.offer(5)).isTrue();
        assertThat(queue.poll()).isEqualTo(3);
        assertThat(queue.poll()).isEqualTo(5);
        assertThat(queue.poll()).isNull();
        assertThat(queue.isEmpty()).isTrue();
    }

    @Test
    void concurrentOffersNeverExceedTheCapacity() throws Exception {
        EventQueue<Integer> queue = new EventQueue<>(1000);
        AtomicInteger accepted = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        CountDownLatch start = new CountDownLatch(1);
        for (int t = 0; t < 4; t++) {
            pool.execute(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < 500; i++) {
                    if (queue.offer(i)) {
                        accepted.incrementAndGet();
                    }
                }
            });
        }
        start.countDown();
        pool.shutdown();
        assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();

        assertThat(accepted.get()).isEqualTo(1000);
        assertThat(queue.size()).isEqualTo(1000);
        assertThat(queue.drainTo(new ArrayList<>(), Integer.MAX_VALUE)).isEqualTo(1000);
    }
}
