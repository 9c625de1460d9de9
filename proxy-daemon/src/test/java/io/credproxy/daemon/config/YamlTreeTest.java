package io.credproxy.daemon.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** YamlTree builds the tree the YAML mapper builds, node type for node type, and refuses a key given twice. */
class YamlTreeTest {
    private static final ObjectMapper MAPPER = new ObjectMapper(new YAMLFactory());
    private static final Pattern YAML_BLOCK = Pattern.compile("(?s)```yaml\\n(.*?)```");

    static Stream<String> samples() throws Exception {
        List<String> samples = new ArrayList<>(List.of(
                """
                listen: 127.0.0.1:18080
                rules:
                  - host: api.example.com
                    headers: {Authorization: "Bearer ${TOKEN}"}
                    ports: [443, 8443]
                limits: {max_connections: 1024, idle_timeout_ms: 60000, ratio: 0.75, huge: 12345678901, bigger: 123456789012345678901234567890}
                flags: [true, false, yes, no, on, off, ~, null, Null, "true"]
                """,
                """
                text: |
                  line one
                  line two
                folded: >
                  a
                  b
                quoted: 'it''s'
                escaped: "tab\\tnewline\\n\\u00e9"
                numbers: [0x1F, 0o17, 1e3, -2.5, .inf, -.Inf, .nan, 007, +12, 1_000]
                empty_map: {}
                empty_list: []
                empty_value:
                """,
                """
                base: &base {a: 1}
                other: *base
                """,
                "- top\n- level\n- list\n",
                "just a scalar\n",
                "42\n",
                "first: 1\n---\nsecond: 2\n",
                "bin: !!binary aGVsbG8=\n",
                "deep: {a: {b: {c: {d: [[[1]]]}}}}\n"));
        Path root = Path.of("").toAbsolutePath();
        while (root != null && !Files.exists(root.resolve("packaging/credproxy.yaml"))) {
            root = root.getParent();
        }
        assertThat(root).as("the repository above " + Path.of("").toAbsolutePath()).isNotNull();
        samples.add(Files.readString(root.resolve("packaging/credproxy.yaml")));
        for (Path doc : List.of(root.resolve("README.md"), root.resolve("docs/DEPLOY.md"), root.resolve("docs/ARCHITECTURE.md"))) {
            if (Files.exists(doc)) {
                Matcher m = YAML_BLOCK.matcher(Files.readString(doc));
                while (m.find()) {
                    samples.add(m.group(1));
                }
            }
        }
        return samples.stream();
    }

    @ParameterizedTest
    @MethodSource("samples")
    void buildsTheMappersTree(String yaml) throws Exception {
        JsonNode expected;
        try {
            expected = MAPPER.readTree(yaml);
        } catch (JacksonException e) {
            assertThatThrownBy(() -> YamlTree.read(yaml)).isInstanceOf(JacksonException.class);
            return;
        }
        JsonNode actual = YamlTree.read(yaml);
        if (expected == null || expected.isMissingNode()) {
            assertThat(actual).isNull();
        } else {
            assertThat(actual).isEqualTo(expected);
            assertTypes(actual, expected);
        }
    }

    /** equals() lets an IntNode equal a LongNode in some versions: compare the node classes too. */
    private static void assertTypes(JsonNode actual, JsonNode expected) {
        assertThat(actual.getClass()).isEqualTo(expected.getClass());
        if (expected.isContainerNode()) {
            for (int i = 0; i < expected.size(); i++) {
                if (expected.isArray()) {
                    assertTypes(actual.get(i), expected.get(i));
                }
            }
            expected.fieldNames().forEachRemaining(name -> assertTypes(actual.get(name), expected.get(name)));
        }
    }

    @Test
    void anEmptyTextHasNoTree() throws Exception {
        assertThat(YamlTree.read("")).isNull();
        assertThat(YamlTree.read("# only a comment\n")).isNull();
    }

    @Test
    void aKeyGivenTwiceIsRefusedWithItsPath() {
        assertThatThrownBy(() -> YamlTree.read("secrets: /a\nrules: []\nsecrets: /b\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("duplicate key secrets")
                .hasMessageContaining("line 3");
        assertThatThrownBy(() -> YamlTree.read("rules:\n  - host: a\n  - host: b\n    headers: {X: 1}\n    headers: {Y: 2}\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("duplicate key rules[1].headers");
        assertThatThrownBy(() -> YamlTree.read("{a: 1, a: 1}"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("duplicate key a");
    }

    @Test
    void aDuplicateKeyStopsTheWholeConfig() {
        assertThatThrownBy(() -> new ConfigLoader().parse("""
                listen: 127.0.0.1:18080
                secrets: /etc/a
                ca_dir: /var/lib/credproxy
                secrets: /etc/b
                """, Path.of("/etc/credproxy")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("duplicate key secrets");
    }

    @Test
    void textThatIsNotYamlIsAJacksonError() {
        assertThatThrownBy(() -> YamlTree.read("a: [1, 2\nb: }\n")).isInstanceOf(JacksonException.class);
        assertThatThrownBy(() -> YamlTree.read("a: \"unterminated\n")).isInstanceOf(JacksonException.class);
    }
}
