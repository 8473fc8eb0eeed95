package io.portcullis.policy.load;

import io.portcullis.config.yaml.ConfigException;
import io.portcullis.policy.model.Policy;
import java.util.List;

/**
 * What loading produced: the policies of every document that had no error, every error found,
 * and every warning (something accepted that does less than the file may expect, such as an IPv6
 * prefix), each naming file, line, column and field.
 */
public record LoadResult(List<Policy> policies, List<ConfigException> errors, List<ConfigException> warnings) {
    public LoadResult {
        policies = List.copyOf(policies);
        errors = List.copyOf(errors);
        warnings = List.copyOf(warnings);
    }

    public boolean hasErrors() {
        return !errors.isEmpty();
    }
}
