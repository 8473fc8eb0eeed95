package io.portcullis.policy.model;

import io.portcullis.policy.http.HttpRequestView;
import java.util.List;

/** An L7 rule that can judge an HTTP request: an HTTP rule, or a gRPC rule as its POST path. */
public interface HttpRequestMatcher {
    /** Where the rule was written, e.g. {@code ingress[0].toPorts[0].rules.http[1]}. */
    String path();

    /** Whether the request matches; header mismatches with an action still match. */
    boolean matches(HttpRequestView request);

    /** Whether {@link #matches} may leave header actions to collect. */
    boolean hasMismatchActions();

    /** Adds the header actions a matching request needs (mismatched {@code headerMatches}). */
    void collectHeaderActions(HttpRequestView request, List<HeaderAction> out);
}
