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
        // Beyond what the swatches beside the app's name paint (12x12 pixels each, two in view at most).
        int swatches = 2 * 12 * 12;
        Path png = dir.resolve("report.png");

        chromium("--window-size=1100,700", "--screenshot=" + png, html.toUri().toString());

        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image).isNotNull();
        assertThat(pixels(image, 0x3366cc)).as("tito's bars").isGreaterThan(swatches + 200);
        assertThat(pixels(image, 0xdc7633)).as("places' bars").isGreaterThan(swatches + 200);
    }

    @Test
    void aDemoSizedReportFitsA1400PixelWindow() throws Exception {
        Path demo = renderDemoLike();
        // A test-only page measures the report's layout in a 1400-pixel frame (the report itself runs no script).
        Path probe = Files.writeString(dir.resolve("measure.html"), """
                <!DOCTYPE html><html><head><meta charset="utf-8"></head><body style="margin:0">
                <iframe id="r" src="%s" style="width:1400px;height:900px;border:0"></iframe>
                <script>
                document.getElementById('r').addEventListener('load', function () {
                  var d = this.contentDocument, out = ['scrollWidth=' + d.documentElement.scrollWidth];
                  d.querySelectorAll('table').forEach(function (t) { out.push('table=' + Math.ceil(t.getBoundingClientRect().right)); });
                  var p = document.createElement('pre'); p.id = 'measure'; p.textContent = out.join(' '); document.body.appendChild(p);
                });
                </script></body></html>
                """.formatted(demo.getFileName()));

        String dom = chromium("--allow-file-access-from-files", "--dump-dom", probe.toUri().toString());

        Matcher m = Pattern.compile("<pre id=\"measure\">([^<]*)</pre>").matcher(dom);
        assertThat(m.find()).as(dom).isTrue();
        List<Integer> widths = Pattern.compile("\\d+").matcher(m.group(1)).results().map(r -> Integer.parseInt(r.group())).toList();
        assertThat(widths.size()).as(m.group(1)).isGreaterThan(10);
        assertThat(widths).as("page and table right edges: %s", m.group(1)).allMatch(w -> w <= 1400);
    }

    @Test
    void everyAppWithBypassAttemptsHasAColourOfItsOwnOnTheScreen() throws Exception {
        Path demo = renderDemoLike();
        String dom = chromium("--dump-dom", demo.toUri().toString());
        Path png = dir.resolve("demo.png");
        chromium("--window-size=1400,1000", "--screenshot=" + png, demo.toUri().toString());
        BufferedImage image = ImageIO.read(png.toFile());

        Matcher rows = Pattern.compile("<tr class=\"blocked\"><td><i class=\"swatch\" style=\"background:#([0-9a-f]{6})\"></i><a href=\"#app-\\d+\">([^<]+)</a>")
                .matcher(dom);
        java.util.Map<String, String> colours = new java.util.LinkedHashMap<>();
        while (rows.find()) {
            colours.put(rows.group(2), rows.group(1));
        }
        // Eight of the nine apps tried to get around the proxy; raw-socket-blocked did nothing else.
        assertThat(colours).hasSize(8).containsKey("raw-socket-blocked");
        assertThat(colours.values()).doesNotHaveDuplicates().doesNotContain("888888");
        colours.forEach((app, colour) -> assertThat(pixels(image, Integer.parseInt(colour, 16)))
                .as("pixels of %s's colour #%s", app, colour).isGreaterThanOrEqualTo(100));
    }

    private static Path renderDemoLike() throws IOException {
        Path demo = dir.resolve("demo-like.html");
        try (Writer out = Files.newBufferedWriter(demo, StandardCharsets.UTF_8)) {
            ReportFormat.HTML.renderer().render(DemoLikeReports.report(), out, false);
        }
        return demo;
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
