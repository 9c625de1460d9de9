package io.credproxy.daemon.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class DemoCommandTest {
    @TempDir
    Path root;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    /** Runs {@code credproxy demo ARGS} as if the daemon jar were in {@code root/proxy-daemon/target}. */
    private int run(String... args) throws Exception {
        CommandLine cli = CredproxyCli.commandLine(new PrintWriter(out, true), new PrintWriter(err, true));
        DemoCommand demo = cli.getSubcommands().get("demo").getCommand();
        demo.home = Files.createDirectories(root.resolve("proxy-daemon/target"));
        String[] full = new String[args.length + 1];
        full[0] = "demo";
        System.arraycopy(args, 0, full, 1, args.length);
        return cli.execute(full);
    }

    @Test
    void looksBesideTheDaemonJarThenInTheSourceTreeItWasBuiltIn() {
        Path repo = Path.of("/src/credproxy");
        assertThat(DemoCommand.candidates(repo.resolve("proxy-daemon/target"), "credproxy-demo.jar", "demo-apps")).containsExactly(
                repo.resolve("proxy-daemon/target/credproxy-demo.jar"), repo.resolve("demo-apps/target/credproxy-demo.jar"));
        assertThat(DemoCommand.candidates(repo.resolve("proxy-daemon/target/classes"), "credproxy-agent.jar", "agent"))
                .last().isEqualTo(repo.resolve("agent/target/credproxy-agent.jar"));
        assertThat(DemoCommand.candidates(Path.of("/opt/credproxy"), "credproxy-agent.jar", "agent"))
                .containsExactly(Path.of("/opt/credproxy/credproxy-agent.jar"));
    }

    @Test
    void aMissingDemoJarIsExitTwoSayingHowToBuildIt() throws Exception {
        Files.createDirectories(root.resolve("agent/target"));
        Files.writeString(root.resolve("agent/target/credproxy-agent.jar"), "not read");

        assertThat(run()).isEqualTo(2);

        assertThat(err.toString().lines()).singleElement().asString()
                .startsWith("credproxy demo: credproxy-demo.jar not found (looked at " + root.resolve("demo-apps/target/credproxy-demo.jar"))
                .contains("mvn -B -DskipTests package");
    }

    @Test
    void aNamedJarThatIsNotThereIsExitTwoNamingIt() throws Exception {
        assertThat(run("--demo-jar", root.resolve("nope.jar").toString(), "--agent-jar", root.resolve("nope-agent.jar").toString()))
                .isEqualTo(2);

        assertThat(err.toString().lines()).containsExactly(
                "credproxy demo: --demo-jar " + root.resolve("nope.jar") + " is not a file",
                "credproxy demo: --agent-jar " + root.resolve("nope-agent.jar") + " is not a file");
    }

    @Test
    void runsTheDemoJarOnThisJdkWithTheAgentJarAndReturnsItsExitStatus() throws Exception {
        Path demoJar = fakeDemoJar(Files.createDirectories(root.resolve("demo-apps/target")).resolve("credproxy-demo.jar"));
        Path agentJar = Files.createDirectories(root.resolve("agent/target")).resolve("credproxy-agent.jar");
        Files.writeString(agentJar, "not read");
        Path dir = Files.createDirectories(root.resolve("demo-dir"));

        assertThat(run("--dir", dir.toString())).as(err.toString()).isEqualTo(3);

        assertThat(Files.readAllLines(dir.resolve("started.txt"))).containsExactly(
                "java.home=" + System.getProperty("java.home"), "agent=" + agentJar, "args=1");
        assertThat(demoJar).exists();
    }

    @Test
    void helpNamesTheOptions() throws Exception {
        assertThat(run("--help")).isZero();
        assertThat(out.toString()).contains("--dir=DIR", "--demo-jar=FILE", "--agent-jar=FILE");
    }

    /** A runnable jar whose main class is {@link FakeDemoMain}. */
    private static Path fakeDemoJar(Path jar) throws Exception {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, FakeDemoMain.class.getName());
        String entry = FakeDemoMain.class.getName().replace('.', '/') + ".class";
        try (OutputStream file = Files.newOutputStream(jar);
             JarOutputStream out = new JarOutputStream(file, manifest);
             InputStream in = FakeDemoMain.class.getClassLoader().getResourceAsStream(entry)) {
            out.putNextEntry(new JarEntry(entry));
            in.transferTo(out);
            out.closeEntry();
        }
        return jar;
    }
}
