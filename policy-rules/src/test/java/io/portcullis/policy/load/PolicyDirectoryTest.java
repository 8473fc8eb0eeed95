package io.portcullis.policy.load;

import static io.portcullis.policy.load.PolicyLoaderTest.policy;
import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.config.yaml.ConfigException;
import io.portcullis.policy.model.Policy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyDirectoryTest {
    @TempDir
    Path dir;

    private final PolicyDirectory directory = new PolicyDirectory();

    private PolicyDirectory.State reload() {
        return directory.reload(dir);
    }

    @Test
    void keepsTheLastGoodVersionOfEachFile() throws IOException {
        assertThat(reload().revision()).isZero();
        Files.writeString(dir.resolve("a.yaml"), policy("alpha"));
        Files.writeString(dir.resolve("b.yaml"), policy("beta"));
        PolicyDirectory.State first = reload();
        assertThat(first.revision()).isEqualTo(1);
        assertThat(first.policies()).extracting(Policy::name).containsExactly("alpha", "beta");
        assertThat(first.errors()).isEmpty();
        assertThat(reload().revision()).isEqualTo(1);

        Files.writeString(dir.resolve("a.yaml"), policy("alpha").replace("world", "galaxy"));
        PolicyDirectory.State broken = reload();
        assertThat(broken.revision()).isEqualTo(1);
        assertThat(broken.policies()).extracting(Policy::name).containsExactly("alpha", "beta");
        assertThat(broken.errors()).extracting(ConfigException::getMessage).singleElement().asString()
                .startsWith(dir.resolve("a.yaml") + ":7:").contains("unsupported entity: galaxy");
        assertThat(directory.state()).isEqualTo(broken);

        Files.writeString(dir.resolve("a.yaml"), policy("gamma"));
        PolicyDirectory.State fixed = reload();
        assertThat(fixed.revision()).isEqualTo(2);
        assertThat(fixed.policies()).extracting(Policy::name).containsExactly("gamma", "beta");
        assertThat(fixed.errors()).isEmpty();

        Files.delete(dir.resolve("b.yaml"));
        PolicyDirectory.State removed = reload();
        assertThat(removed.revision()).isEqualTo(3);
        assertThat(removed.policies()).extracting(Policy::name).containsExactly("gamma");
    }

    @Test
    void aNewFileReusingANameInForceIsRejected() throws IOException {
        Files.writeString(dir.resolve("a.yaml"), policy("alpha"));
        reload();
        Files.writeString(dir.resolve("z.yaml"), policy("alpha"));
        PolicyDirectory.State state = reload();
        assertThat(state.revision()).isEqualTo(1);
        assertThat(state.policies()).hasSize(1);
        assertThat(state.errors()).extracting(ConfigException::getMessage).containsExactly(dir.resolve("z.yaml")
                + ":4:9: field 'metadata.name': duplicate CiliumNetworkPolicy 'default/alpha', first defined at "
                + dir.resolve("a.yaml") + ":4:9");
    }

    @Test
    void anUnreadableDirectoryKeepsThePoliciesInForce() throws IOException {
        Files.writeString(dir.resolve("a.yaml"), policy("alpha"));
        reload();
        PolicyDirectory.State state = directory.reload(dir.resolve("missing"));
        assertThat(state.revision()).isEqualTo(1);
        assertThat(state.policies()).hasSize(1);
        assertThat(state.errors()).hasSize(1);
    }
}
