package io.portcullis.config.yaml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class YamlReaderTest {

    @Test
    void readsEveryDocumentWithLinesAndPaths() {
        List<YamlNode> docs = YamlReader.readAll("p.yaml", """
                kind: A
                spec:
                  ports:
                    - port: "80"
                    - port: 443
                ---
                kind: B
                ---
                """);
        assertThat(docs).hasSize(2);
        YamlMap first = docs.get(0).asMap();
        YamlNode second = first.require("spec").asMap().list("ports").get(1).asMap().require("port");
        assertThat(second.path()).isEqualTo("spec.ports[1].port");
        assertThat(second.location().line()).isEqualTo(5);
        assertThat(second.asScalar().asInt(1, 65535)).isEqualTo(443);
        assertThat(docs.get(1).asMap().string("kind")).contains("B");
    }

    @Test
    void rejectsDuplicateKeysWithTheirLine() {
        assertThatThrownBy(() -> YamlReader.readAll("d.yaml", "a: 1\nb: 2\na: 3\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("d.yaml:3:1: field 'a': duplicate key");
    }

    @Test
    void rejectsUnknownKeysNamingTheField() {
        YamlMap map = YamlReader.readAll("u.yaml", "spec:\n  ingres: []\n").get(0).asMap();
        assertThatThrownBy(() -> map.require("spec").asMap().allowOnly(Set.of("ingress", "egress")))
                .hasMessageStartingWith("u.yaml:2:3: field 'spec.ingres': unknown field");
    }

    @Test
    void reportsSyntaxErrorsWithTheSource() {
        assertThatThrownBy(() -> YamlReader.readAll("s.yaml", "a: [1, 2\nb: c\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("s.yaml:")
                .hasMessageContaining("invalid YAML");
    }

    @Test
    void outOfRangeIntegersNameTheField() {
        YamlMap map = YamlReader.readAll("r.yaml", "port: 70000\n").get(0).asMap();
        assertThatThrownBy(() -> map.require("port").asScalar().asInt(0, 65535))
                .hasMessage("r.yaml:1:7: field 'port': 70000 is out of range [0, 65535]");
    }
}
