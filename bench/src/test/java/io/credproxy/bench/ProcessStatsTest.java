package io.credproxy.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProcessStatsTest {
    @Test
    void cpuTicksAreCountedAfterACommandNameWithSpacesAndParentheses() {
        String line = "4242 (java (x) y) S 1 4242 4242 0 -1 4194560 100 0 0 0 1234 567 0 0 20 0 30 0 100 0 0";
        assertThat(ProcessStats.cpuTicks(line)).isEqualTo(1234 + 567);
    }

    @Test
    void statusValuesAreReadInKib() {
        String status = "Name:\tjava\nVmPeak:\t  900000 kB\nVmHWM:\t  123456 kB\nVmRSS:\t  100000 kB\n";
        assertThat(ProcessStats.statusValueKib(status, "VmHWM:")).isEqualTo(123456);
        assertThat(ProcessStats.statusValueKib(status, "VmRSS:")).isEqualTo(100000);
    }

    @Test
    void readsThisProcess() {
        ProcessStats self = new ProcessStats(ProcessHandle.current().pid(), ProcessStats.clockTicksPerSecond());
        assertThat(self.cpuSeconds()).isPositive();
        assertThat(self.peakRssKib()).isGreaterThanOrEqualTo(self.rssKib() / 2).isPositive();
        assertThat(self.openFds()).isPositive();
    }
}
