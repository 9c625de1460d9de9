package io.credproxy.daemon.report;

import io.credproxy.protocol.report.AppReport;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One colour per app in the HTML report: its bars in the chart, the legend, and the swatch beside
 * its name in the tables.
 *
 * <p>Apps with bypass attempts come first and each always gets a colour of its own, from the
 * palette and then from generated hues: the apps that tried to get around the proxy are the ones an
 * operator looks for, and must never be lumped into grey "other apps". The remaining palette
 * colours go to the other apps in report order (busiest first); the rest share grey.
 */
final class AppColours {
    static final String[] PALETTE = {"#3366cc", "#dc7633", "#2e9e5b", "#8e44ad", "#c0392b", "#16a0a0",
        "#b7950b", "#d35490", "#5d6d7e", "#6b8e23"};
    static final String OTHER = "#888888";

    private final Map<String, String> byApp;

    private AppColours(Map<String, String> byApp) {
        this.byApp = byApp;
    }

    static AppColours assign(List<AppReport> apps) {
        Map<String, String> colours = new LinkedHashMap<>();
        int next = 0;
        for (AppReport a : apps) {
            if (a.bypassAttempts() > 0) {
                colours.put(a.app(), colour(next++));
            }
        }
        for (AppReport a : apps) {
            if (next >= PALETTE.length) {
                break;
            }
            if (!colours.containsKey(a.app())) {
                colours.put(a.app(), colour(next++));
            }
        }
        return new AppColours(colours);
    }

    /** The palette, then hues 137.5 degrees apart (the golden angle: neighbours never look alike). */
    static String colour(int index) {
        if (index < PALETTE.length) {
            return PALETTE[index];
        }
        double hue = (index - PALETTE.length) * 137.508 % 360;
        return String.format(Locale.ROOT, "hsl(%.0f,62%%,42%%)", hue);
    }

    /** The app's own colour, or grey when it has none. */
    String of(String app) {
        return byApp.getOrDefault(app, OTHER);
    }

    boolean hasOwn(String app) {
        return byApp.containsKey(app);
    }

    /** The apps with a colour of their own, in the order the colours were given. */
    List<String> apps() {
        return List.copyOf(byApp.keySet());
    }
}
