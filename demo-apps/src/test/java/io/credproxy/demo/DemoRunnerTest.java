package io.credproxy.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoRunnerTest {
    @TempDir
    Path tmp;

    @Test
    void aNewOrEmptyDirectoryIsUsedAndCreated() throws Exception {
        assertThat(DemoRunner.directory(tmp.resolve("a/b"))).isDirectory().isEqualTo(tmp.resolve("a/b"));
        assertThat(DemoRunner.directory(tmp.resolve("a/b"))).isEqualTo(tmp.resolve("a/b"));
    }

    @Test
    void noDirectoryMeansANewTemporaryOne() throws Exception {
        Path dir = DemoRunner.directory(null);
        try {
            assertThat(dir).isDirectory().isEmptyDirectory();
            assertThat(dir.getFileName().toString()).startsWith("credproxy-demo-");
        } finally {
            Files.delete(dir);
        }
    }

    @Test
    void aDirectoryWithFilesOrAFileIsRefused() throws Exception {
        Files.writeString(tmp.resolve("env"), "KEEP=me\n");

        assertThatThrownBy(() -> DemoRunner.directory(tmp)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage(tmp + " is not empty; give a new or empty directory (the demo writes its secrets and CA there)");
        assertThatThrownBy(() -> DemoRunner.directory(tmp.resolve("env"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage(tmp.resolve("env") + " is not a directory");
        assertThat(tmp.resolve("env")).hasContent("KEEP=me");
    }
}
