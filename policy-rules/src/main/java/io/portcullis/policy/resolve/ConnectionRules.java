package io.portcullis.policy.resolve;

import io.portcullis.policy.http.HttpRequestView;

/**
 * The compiled rules for one connection: source egress combined with destination ingress.
 * Immutable and safe to share; a decision compiles nothing and allocates little.
 */
public interface ConnectionRules {
    L4Verdict l4();

    Decision decideHttp(HttpRequestView request);
}
