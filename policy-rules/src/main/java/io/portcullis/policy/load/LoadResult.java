package io.portcullis.policy.load;

import io.portcullis.config.yaml.ConfigException;
import io.portcullis.policy.model.Policy;
import java.util.List;

/**
 * What loading produced: the policies of every document that had no error, and every error
 * found, each naming file, line, column and field.
 */
public record LoadResult(List<Policy> policies, List<ConfigException> errors) {
    public LoadResult {
        policies = List.copyOf(policies);
        errors = List.copyOf(errors);
    }

    public boolean hasErrors() {
        return !errors.isEmpty();
    }
}
