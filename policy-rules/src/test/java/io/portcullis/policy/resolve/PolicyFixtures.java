package io.portcullis.policy.resolve;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.policy.identity.Identity;
import io.portcullis.policy.identity.IdentityAllocator;
import io.portcullis.policy.identity.Labels;
import io.portcullis.policy.load.LoadResult;
import io.portcullis.policy.load.PolicyLoader;
import io.portcullis.policy.model.Policy;
import java.util.ArrayList;
import java.util.List;

/** Builds policies from short YAML specs for resolution tests. */
final class PolicyFixtures {
    private PolicyFixtures() {
    }

    /** A CiliumNetworkPolicy in {@code default} named {@code name} whose spec is {@code spec} (YAML, unindented). */
    static String cnp(String name, String spec) {
        return document("CiliumNetworkPolicy", name, spec);
    }

    /** A CiliumClusterwideNetworkPolicy. */
    static String ccnp(String name, String spec) {
        return document("CiliumClusterwideNetworkPolicy", name, spec);
    }

    /** {@code document} (from {@link #cnp} or {@link #ccnp}) annotated to be in audit mode. */
    static String audited(String document) {
        return document.replaceFirst("\n  name: ([^\n]*)\n",
                "\n  name: $1\n  annotations: {portcullis.io/audit: \"true\"}\n");
    }

    /** An endpoint's identity: {@code labels} ({@code k=v,...}) in {@code namespace}. */
    static Identity endpoint(IdentityAllocator ids, String namespace, String labels) {
        return ids.allocate(Labels.ofEndpoint(namespace, Labels.parseMap(labels)));
    }

    private static String document(String kind, String name, String spec) {
        StringBuilder out = new StringBuilder("apiVersion: cilium.io/v2\nkind: " + kind + "\nmetadata:\n  name: ")
                .append(name).append("\nspec:\n");
        for (String line : spec.split("\n")) {
            out.append("  ").append(line).append('\n');
        }
        return out.toString();
    }

    static List<Policy> policies(String... documents) {
        LoadResult result = PolicyLoader.parse("t.yaml", String.join("---\n", documents));
        List<String> errors = new ArrayList<>();
        result.errors().forEach(e -> errors.add(e.getMessage()));
        assertThat(errors).isEmpty();
        return result.policies();
    }

    static CompiledPolicySnapshot snapshot(String... documents) {
        return PolicyCompiler.compile(policies(documents), 1);
    }
}
