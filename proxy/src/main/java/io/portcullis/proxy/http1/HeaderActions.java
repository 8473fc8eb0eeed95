package io.portcullis.proxy.http1;

import io.netty.handler.codec.http.HttpHeaders;
import io.portcullis.policy.model.HeaderAction;
import io.portcullis.proxy.policy.HeaderEdits;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A decision's header actions on an HTTP/1.1 request ({@link HeaderEdits}). Framing fields are
 * never touched by policy (that would desynchronise proxy and upstream).
 */
final class HeaderActions {
    private static final Set<String> FRAMING = Set.of("content-length", "transfer-encoding");
    private static final HeaderEdits EDITS = new HeaderEdits(name -> FRAMING.contains(name.toLowerCase(Locale.ROOT)),
            false);

    private HeaderActions() {
    }

    /** @return a note naming logged or refused fields for the access log, or null */
    static String apply(List<HeaderAction> actions, HttpHeaders headers) {
        return EDITS.apply(actions,
                new HeaderEdits.Fields(headers::contains, headers::add, headers::remove, headers::set));
    }
}
