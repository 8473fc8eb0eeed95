package io.portcullis.policy.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.policy.model.Policy;
import org.junit.jupiter.api.Test;

class AuditAnnotationTest {
    private static final String SPEC = """
            spec:
              endpointSelector: {matchLabels: {app: api}}
              ingress: [{fromEndpoints: [{matchLabels: {role: web}}]}]
            """;

    private static LoadResult parse(String metadata) {
        return PolicyLoader.parse("p.yaml", "apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata:\n"
                + "  name: p\n" + metadata + SPEC);
    }

    @Test
    void aPolicyWithoutTheAnnotationEnforces() {
        LoadResult result = parse("  annotations: {team: payments}\n");
        assertThat(PolicyLoaderTest.messages(result)).isEmpty();
        assertThat(result.policies().get(0).audit()).isFalse();
        assertThat(parse("").policies().get(0).audit()).isFalse();
    }

    @Test
    void trueAsStringOrBooleanPutsThePolicyInAuditMode() {
        assertThat(parse("  annotations: {portcullis.io/audit: \"true\"}\n").policies().get(0).audit()).isTrue();
        assertThat(parse("  annotations:\n    portcullis.io/audit: true\n").policies().get(0).audit()).isTrue();
        assertThat(parse("  annotations: {portcullis.io/audit: \"false\"}\n").policies().get(0).audit()).isFalse();
    }

    @Test
    void anyOtherValueIsAnErrorNamingFileLineAndField() {
        for (String value : new String[] {"yes", "on", "True", "1", "\"\""}) {
            LoadResult result = parse("  annotations:\n    portcullis.io/audit: " + value + "\n");
            assertThat(result.policies()).as(value).isEmpty();
            assertThat(PolicyLoaderTest.messages(result)).as(value).singleElement().asString()
                    .startsWith("p.yaml:6:")
                    .contains("metadata.annotations." + Policy.AUDIT_ANNOTATION)
                    .contains("expected \"true\" or \"false\"");
        }
    }

    @Test
    void annotationsThatAreNotAMappingAreAnError() {
        LoadResult result = parse("  annotations: [portcullis.io/audit]\n");
        assertThat(result.policies()).isEmpty();
        assertThat(PolicyLoaderTest.messages(result)).singleElement().asString().startsWith("p.yaml:5:")
                .contains("metadata.annotations");
    }
}
