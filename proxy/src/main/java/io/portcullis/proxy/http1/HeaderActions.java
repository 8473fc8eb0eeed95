package io.portcullis.proxy.http1;

import io.netty.handler.codec.http.HttpHeaders;
import io.portcullis.policy.model.HeaderAction;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Applies a decision's header actions to the request before it is forwarded: ADD adds the field
 * when absent, DELETE removes it, REPLACE sets it, LOG changes nothing and is reported. Framing
 * fields are never touched by policy (that would desynchronise proxy and upstream).
 */
final class HeaderActions {
    private static final Set<String> FRAMING = Set.of("content-length", "transfer-encoding");

    private HeaderActions() {
    }

    /** @return a note naming logged or refused fields for the access log, or null */
    static String apply(List<HeaderAction> actions, HttpHeaders headers) {
        StringBuilder note = null;
        for (HeaderAction action : actions) {
            String skipped = null;
            if (FRAMING.contains(action.name().toLowerCase(Locale.ROOT))) {
                skipped = "refused " + action.kind() + " of " + action.name();
            } else {
                switch (action.kind()) {
                    case ADD:
                        if (!headers.contains(action.name())) {
                            headers.add(action.name(), action.value());
                        }
                        break;
                    case DELETE:
                        headers.remove(action.name());
                        break;
                    case REPLACE:
                        headers.set(action.name(), action.value());
                        break;
                    default:
                        skipped = "header mismatch " + action.name();
                }
            }
            if (skipped != null) {
                note = (note == null ? new StringBuilder() : note.append(", ")).append(skipped);
            }
        }
        return note == null ? null : note.toString();
    }
}
