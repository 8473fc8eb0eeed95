package io.portcullis.policy.resolve;

import io.portcullis.policy.identity.Identity;
import io.portcullis.policy.model.Protocol;
import java.util.List;

/** Turns what {@link PolicyEvaluator} found for one direction into its {@link DirectionResult} and sentence. */
final class DirectionVerdicts {
    private DirectionVerdicts() {
    }

    static DirectionResult result(Direction direction, Identity subject, Identity peer, int port, Protocol protocol,
                                  List<String> selectedBy, boolean defaultDeny, PolicyEvaluator.Hit deny,
                                  PolicyEvaluator.Hit allow, List<L7RuleSet> l7) {
        String side = direction.wire();
        if (selectedBy.isEmpty()) {
            return new DirectionResult(direction, subject, peer, DirectionResult.Outcome.NOT_SELECTED, null, null,
                    "no policy selects " + subject.describe() + " for " + side + ", so " + side
                            + " is not enforced", selectedBy, l7, Audit.NONE);
        }
        if (deny != null) {
            return new DirectionResult(direction, subject, peer, DirectionResult.Outcome.DENIED, deny.policy(),
                    deny.path(), "denied by " + side + "Deny: policy \"" + deny.policy() + "\" " + deny.path(),
                    selectedBy, l7, Audit.NONE);
        }
        if (allow != null) {
            String moot = l7.isEmpty() ? "" : "; L7 rules of " + describe(l7) + " do not apply to this peer";
            return new DirectionResult(direction, subject, peer, DirectionResult.Outcome.ALLOWED, allow.policy(),
                    allow.path(), "allowed by policy \"" + allow.policy() + "\" " + allow.path() + moot, selectedBy,
                    l7, Audit.NONE);
        }
        String on = port < 0 ? "this port" : protocol.isIcmp() ? protocol + " type " + port
                : "port " + port + "/" + protocol;
        if (!l7.isEmpty()) {
            return new DirectionResult(direction, subject, peer, DirectionResult.Outcome.L7, l7.get(0).policy(),
                    l7.get(0).path(), "requests on " + on + " are judged by the L7 rules of " + describe(l7),
                    selectedBy, l7, Audit.NONE);
        }
        if (!defaultDeny) {
            return new DirectionResult(direction, subject, peer, DirectionResult.Outcome.ALLOWED_BY_DEFAULT, null,
                    null, "no rule covers " + peer.describe() + " on " + on + ", and " + quoted(selectedBy)
                            + " selecting " + subject.describe() + " set enableDefaultDeny " + side + ": false, so"
                            + " it is allowed", selectedBy, l7, Audit.NONE);
        }
        return new DirectionResult(direction, subject, peer, DirectionResult.Outcome.DEFAULT_DENIED,
                selectedBy.get(0), null, side + " is default-deny for " + subject.describe() + " (selected by "
                        + quoted(selectedBy) + "): no rule allows " + peer.describe() + " on " + on, selectedBy, l7,
                Audit.NONE);
    }

    /** {@code policy "a" ingress[0].toPorts[0], policy "b" ...}. */
    static String describe(List<L7RuleSet> sets) {
        StringBuilder out = new StringBuilder();
        for (L7RuleSet set : sets) {
            out.append(out.length() == 0 ? "" : ", ").append("policy \"").append(set.policy()).append("\" ")
                    .append(set.path());
        }
        return out.toString();
    }

    private static String quoted(List<String> names) {
        StringBuilder out = new StringBuilder(names.size() == 1 ? "policy " : "policies ");
        for (int i = 0; i < names.size(); i++) {
            out.append(i == 0 ? "" : ", ").append('"').append(names.get(i)).append('"');
        }
        return out.toString();
    }
}
