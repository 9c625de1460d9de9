package io.credproxy.daemon.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.credproxy.protocol.report.AppReport;
import io.credproxy.protocol.report.BypassReport;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AppColoursTest {
    private static AppReport app(String name, long requests, boolean bypassed) {
        List<BypassReport> bypasses = bypassed
                ? List.of(new BypassReport(BypassReport.BLOCKED, "smtp.example", 25, "a.B.c", "java.net.Socket", 1, 1, 1)) : List.of();
        return new AppReport(name, requests, Map.of(), 0, 0, 1, 1, List.of(), List.of(), bypasses);
    }

    @Test
    void everyAppWithBypassAttemptsGetsItsOwnColourEvenPastThePalette() {
        List<AppReport> apps = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            apps.add(app("busy-" + i, 100 - i, false));
        }
        for (int i = 0; i < 13; i++) {
            apps.add(app("sneaky-" + i, 0, true)); // only bypass attempts, listed last
        }

        AppColours colours = AppColours.assign(apps);

        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 13; i++) {
            String c = colours.of("sneaky-" + i);
            assertThat(colours.hasOwn("sneaky-" + i)).isTrue();
            assertThat(c).isNotEqualTo(AppColours.OTHER);
            assertThat(seen.add(c)).as("colour %s given twice", c).isTrue();
        }
        // The palette is spent on them; busy apps without bypass attempts share grey.
        assertThat(colours.of("busy-0")).isEqualTo(AppColours.OTHER);
        assertThat(colours.hasOwn("busy-0")).isFalse();
    }

    @Test
    void withRoomToSpareTheBusiestAppsGetThePaletteInOrder() {
        AppColours colours = AppColours.assign(List.of(app("a", 9, false), app("b", 8, true), app("c", 7, false)));

        assertThat(colours.of("b")).isEqualTo(AppColours.PALETTE[0]);
        assertThat(colours.of("a")).isEqualTo(AppColours.PALETTE[1]);
        assertThat(colours.of("c")).isEqualTo(AppColours.PALETTE[2]);
        assertThat(colours.apps()).containsExactly("b", "a", "c");
        assertThat(AppColours.colour(AppColours.PALETTE.length)).startsWith("hsl(");
    }
}
