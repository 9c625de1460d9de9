package io.credproxy.daemon.limits;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class FileDescriptorsTest {
    @Test
    void readsThisProcesssLimitAndCount() {
        assertThat(FileDescriptors.limit()).isGreaterThan(16);
        assertThat(FileDescriptors.open()).isBetween(1L, FileDescriptors.limit());
    }

    @Test
    void parsesTheSoftLimitFromProcLimits() {
        List<String> limits = List.of(
                "Limit                     Soft Limit           Hard Limit           Units     ",
                "Max processes             95437                95437                processes ",
                "Max open files            20000                524288               files     ");
        assertThat(FileDescriptors.parseLimit(limits)).isEqualTo(20000);
        assertThat(FileDescriptors.parseLimit(List.of("Max open files            unlimited            unlimited            files"))).isEqualTo(-1);
        assertThat(FileDescriptors.parseLimit(List.of())).isEqualTo(-1);
    }
}
