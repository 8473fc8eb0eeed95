package io.portcullis.policy.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class LabelsTest {
    @Test
    void keysWithoutASourceAreKubernetesLabels() {
        Labels labels = Labels.parse("app=web,container:tier=a");
        assertThat(labels.values()).containsOnlyKeys("k8s:app", "container:tier");
        assertThat(labels).isEqualTo(new Labels(Map.of("k8s:app", "web", "container:tier", "a")));
        assertThat(labels.valuesOf(LabelKey.parse("app", LabelKey.ANY))).containsExactly("web");
        assertThat(labels.valuesOf(LabelKey.parse("k8s:tier", LabelKey.ANY))).isEmpty();
        assertThat(labels.valuesOf(LabelKey.parse("any:tier", LabelKey.ANY))).containsExactly("a");
    }

    @Test
    void anyIsNoSourceAndAKeyIsGivenOnce() {
        assertThatThrownBy(() -> Labels.parse("any:app=web")).hasMessageContaining("'any:' selects labels of every");
        assertThatThrownBy(() -> Labels.parse("app=web,k8s:app=api")).hasMessage("label k8s:app is given twice");
        assertThatThrownBy(() -> LabelKey.parse(":app", LabelKey.ANY)).hasMessageContaining("empty source");
    }

    @Test
    void anEndpointHasItsNamespaceAndNoNodeLabels() {
        Labels labels = Labels.ofEndpoint("shop", Map.of("app", "cart"));
        assertThat(labels.values()).containsEntry("k8s:io.kubernetes.pod.namespace", "shop");
        assertThat(labels.namespace()).contains("shop");
        assertThat(labels.display()).isEqualTo("app=cart");
        assertThat(new Identity(300, labels).describe()).isEqualTo("app=cart in namespace shop");
        assertThat(Labels.ofEndpoint("shop", Map.of("io.kubernetes.pod.namespace", "shop"))).isEqualTo(
                Labels.ofEndpoint("shop", Map.of()));
        assertThatThrownBy(() -> Labels.ofEndpoint("shop", Map.of("io.kubernetes.pod.namespace", "bank")))
                .hasMessageContaining("contradicts the endpoint's namespace 'shop'");
        assertThatThrownBy(() -> Labels.ofEndpoint("shop", Map.of("reserved:host", "")))
                .hasMessageContaining("cannot be given to an endpoint");
        assertThatThrownBy(() -> Labels.ofEndpoint("Shop_1", Map.of())).hasMessageContaining("namespace 'Shop_1'");
    }

    @Test
    void labelSetsWrittenBeforeNamespacesAreInTheDefaultNamespace() {
        Labels old = new Labels(Map.of("app", "web"));
        assertThat(old.inDefaultNamespaceIfUnset()).isEqualTo(Labels.ofEndpoint("default", Map.of("app", "web")));
        assertThat(Labels.ofEndpoint("shop", Map.of()).inDefaultNamespaceIfUnset().namespace()).contains("shop");
        assertThat(Identity.HOST.labels().inDefaultNamespaceIfUnset()).isEqualTo(Identity.HOST.labels());
        Labels cidr = new Labels(Map.of("cidr:10.0.0.0/8", ""));
        assertThat(cidr.inDefaultNamespaceIfUnset()).isEqualTo(cidr);
    }
}
