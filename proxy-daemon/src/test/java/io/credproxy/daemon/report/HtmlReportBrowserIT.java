package io.credproxy.daemon.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.credproxy.daemon.testing.SampleReports;
import io.credproxy.daemon.testing.TestEvents;
import io.credproxy.protocol.report.Report;
import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opens the HTML report in headless Chromium and checks what a browser makes of it: the DOM it
 * builds (an app section with the right counts, hostile names as text, never as elements) and the
 * pixels it paints (the chart's bars, in each app's colour).
 *
 * <p>Needs Debian's {@code chromium} package (.ci/run installs it); skipped when it is absent.
 */
class HtmlReportBrowserIT {
    private static final String HOSTILE_HOST = "evil\"><script>document.title='pwned'</script>.example";
    private static final String HOSTILE_FRAME = "<img src=x onerror=alert(1)>.run";

    @TempDir
    static Path dir;

    private static Path chromium;
    private static Path html;

    @BeforeAll
    static void renderReport() throws IOException {
        chromium = findChromium().orElse(null);
        Assumptions.assumeTrue(chromium != null,
                "chromium is not installed (apt-get install chromium; .ci/run installs it): browser check skipped");
        ReportAggregator aggregator = new ReportAggregator(ReportLimits.defaults(), SampleReports.CLOCK, Report.SOURCE_AUDIT_LOG);
        SampleReports.feed(aggregator);
        aggregator.record(TestEvents.tunnel(SampleReports.T0 + 1_000_000, "places", HOSTILE_HOST, 443));
        aggregator.recordAgentEvent(TestEvents.blocked(SampleReports.T0 + 1_000_000, "places", "smtp.example", 25, HOSTILE_FRAME));
        html = dir.resolve("report.html");
        try (Writer out = Files.newBufferedWriter(html, StandardCharsets.UTF_8)) {
            ReportFormat.HTML.renderer().render(aggregator.snapshot(), out, false);
        }
    }

    @Test
    void theRenderedDomHasASectionPerAppWithItsCountsAndNoInjectedMarkup() throws Exception {
        String dom = chromium("--dump-dom", html.toUri().toString());

        assertThat(dom).contains("<section class=\"app\" id=\"app-0\" data-app=\"tito\">")
                .contains("<section class=\"app\" id=\"app-1\" data-app=\"places\">");
        String tito = section(dom, "tito");
        assertThat(tito).contains("<span class=\"requests\">8</span>")
                .contains("<span class=\"bypass-count\">3</span>")
                .contains("<td class=\"dest\">api.cloudflare.com:443</td><td class=\"num\" data-col=\"requests\">6</td>")
                .contains("CLOUDFLARE_D1_API_TOKEN")
                .contains("smtp.example:25");
        String places = section(dom, "places");
        assertThat(places).contains("<span class=\"requests\">5</span>")
                .contains("<td class=\"dest\">places.googleapis.com:443</td><td class=\"num\" data-col=\"requests\">4</td>")
                .contains("data-col=\"error\">1</td>");
        // Hostile text arrived as text: the browser built no script or img element from it.
        assertThat(dom).doesNotContain("<script").doesNotContain("<img")
                .contains("&lt;script&gt;document.title='pwned'&lt;/script&gt;.example:443")
                .contains("&lt;img src=x onerror=alert(1)&gt;.run")
                .contains("<title>credproxy report</title>");
        assertThat(count(dom, "<rect class=\"bar\"")).isGreaterThanOrEqualTo(9);
    }

    @Test
    void theChartIsPaintedWithABarColourPerApp() throws Exception {
        Path png = dir.resolve("report.png");

        chromium("--window-size=1100,700", "--screenshot=" + png, html.toUri().toString());

        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image).isNotNull();
        assertThat(pixels(image, 0x3366cc)).as("tito's bars").isGreaterThan(200);
        assertThat(pixels(image, 0xdc7633)).as("places' bars").isGreaterThan(200);
    }

    private static String section(String dom, String app) {
        int start = dom.indexOf("data-app=\"" + app + "\"");
        assertThat(start).as("section for " + app).isNotNegative();
        int end = dom.indexOf("</section>", start);
        return dom.substring(start, end);
    }

    private static int count(String text, String needle) {
        Matcher m = Pattern.compile(Pattern.quote(needle)).matcher(text);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    private static int pixels(BufferedImage image, int rgb) {
        int n = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                if ((image.getRGB(x, y) & 0xffffff) == rgb) {
                    n++;
                }
            }
        }
        return n;
    }

    /** Runs headless Chromium with a fresh profile, offline, and returns its standard output. */
    private static String chromium(String... args) throws Exception {
        Path profile = Files.createTempDirectory(dir, "profile");
        List<String> command = new ArrayList<>(List.of(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--user-data-dir=" + profile));
        command.addAll(List.of(args));
        Path stdout = dir.resolve("chromium.out");
        Path stderr = dir.resolve("chromium.err");
        Process process = new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("chromium did not finish within 120 s");
        }
        assertThat(process.exitValue()).as("chromium exit status; stderr: " + Files.readString(stderr)).isZero();
        return Files.readString(stdout);
    }

    private static Optional<Path> findChromium() {
        String configured = System.getProperty("credproxy.chromium");
        if (configured != null && !configured.isBlank()) {
            return Optional.of(Path.of(configured));
        }
        for (String dirName : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
            for (String name : List.of("chromium", "chromium-browser")) {
                Path candidate = Path.of(dirName, name);
                if (Files.isExecutable(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }
}
