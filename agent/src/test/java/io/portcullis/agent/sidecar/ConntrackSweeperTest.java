package io.portcullis.agent.sidecar;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Sweeps run on their interval with the current time, survive a failing sweep, and end with close. */
class ConntrackSweeperTest {
    @Test
    void sweepsRepeatWithTheCurrentTimeAndSurviveAFailure() throws Exception {
        Semaphore swept = new Semaphore(0);
        AtomicInteger calls = new AtomicInteger();
        long before = System.nanoTime();
        try (ConntrackSweeper sweeper = new ConntrackSweeper("ct", now -> {
            assertThat(now).isGreaterThanOrEqualTo(before);
            swept.release();
            if (calls.incrementAndGet() == 1) {
                throw new IllegalStateException("map gone");
            }
            return 3;
        }, Duration.ofMillis(20))) {
            assertThat(swept.tryAcquire(3, 10, TimeUnit.SECONDS)).as("a failed sweep does not stop the next").isTrue();
        }
        int after = calls.get();
        Thread.sleep(100);
        assertThat(calls.get()).as("no sweep after close").isEqualTo(after);
    }
}
