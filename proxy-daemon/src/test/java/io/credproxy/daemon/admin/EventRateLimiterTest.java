package io.credproxy.daemon.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class EventRateLimiterTest {
    private final AtomicLong now = new AtomicLong();
    private final EventRateLimiter limiter = new EventRateLimiter(10, 100, now::get);

    @Test
    void eachAppHasABurstAndThenItsRate() {
        assertThat(limiter.take("a", 80)).isEqualTo(80);
        assertThat(limiter.take("a", 80)).as("20 left of the burst").isEqualTo(20);
        assertThat(limiter.take("b", 50)).as("another app has its own bucket").isEqualTo(50);

        now.addAndGet(TimeUnit.SECONDS.toNanos(2));

        assertThat(limiter.take("a", 80)).as("10 a second").isEqualTo(20);
        now.addAndGet(TimeUnit.HOURS.toNanos(1));
        assertThat(limiter.take("a", 500)).as("never more than the burst").isEqualTo(100);
    }

    @Test
    void inventedNamesShareTheLimitOfAllAppsTogether() {
        int granted = 0;
        for (int i = 0; i < 20; i++) {
            granted += limiter.take("invented-" + i, 100);
        }
        assertThat(granted).as("eight apps' bursts, however many names").isEqualTo(100 * EventRateLimiter.ALL_APPS_FACTOR);
    }

    @Test
    void namesPastTheLimitShareOneBucket() {
        for (int i = 0; i < EventRateLimiter.MAX_APPS; i++) {
            limiter.take("app-" + i, 0);
        }
        assertThat(limiter.take("late-1", 60)).isEqualTo(60);
        assertThat(limiter.take("late-2", 60)).as("the shared overflow bucket").isEqualTo(40);
    }
}
