package io.portcullis.config;

import java.util.regex.Pattern;

/**
 * Kubernetes' rule for namespace and service names (an RFC 1123 label): what the API paths, the
 * CLI and the policies' namespaces take, so no '/' and nothing to quote.
 */
public final class KubernetesNames {
    /** Where a workload, service or namespaced policy is when nothing names a namespace. */
    public static final String DEFAULT_NAMESPACE = "default";
    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

    private KubernetesNames() {
    }

    /** Why {@code value} cannot be a name of {@code what} ("namespace", "service name"), or null when it can. */
    public static String problem(String what, String value) {
        return value != null && LABEL.matcher(value).matches() ? null : what + " '" + value
                + "' must be 1-63 lowercase letters, digits or '-', starting and ending with a letter or digit";
    }
}
