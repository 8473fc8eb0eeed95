package io.portcullis.proxy.policy;

import io.portcullis.policy.model.HeaderAction;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Applies a decision's header actions to a request before it is forwarded, whatever its
 * protocol: ADD adds the field when absent, DELETE removes it, REPLACE sets it, LOG changes
 * nothing and is reported. Each protocol names the fields policy may never touch (framing,
 * pseudo-headers) and how its names are spelled.
 */
public final class HeaderEdits {
    /** A request's fields as the protocol's header type holds them: the four operations actions need. */
    public record Fields(Predicate<String> contains, BiConsumer<String, String> add, Consumer<String> remove,
                         BiConsumer<String, String> set) {
        public Fields {
            Objects.requireNonNull(contains, "contains");
            Objects.requireNonNull(add, "add");
            Objects.requireNonNull(remove, "remove");
            Objects.requireNonNull(set, "set");
        }
    }

    private final Predicate<String> untouchable;
    private final boolean lowerCaseNames;

    /**
     * @param untouchable    names (as spelled after {@code lowerCaseNames}) that actions must leave alone
     * @param lowerCaseNames whether field names are lower-cased before use (HTTP/2 requires it)
     */
    public HeaderEdits(Predicate<String> untouchable, boolean lowerCaseNames) {
        this.untouchable = Objects.requireNonNull(untouchable, "untouchable");
        this.lowerCaseNames = lowerCaseNames;
    }

    /** @return a note naming logged or refused fields for the access log, or null */
    public String apply(List<HeaderAction> actions, Fields fields) {
        StringBuilder note = null;
        for (HeaderAction action : actions) {
            String skipped = applyOne(action, fields);
            if (skipped != null) {
                note = (note == null ? new StringBuilder() : note.append(", ")).append(skipped);
            }
        }
        return note == null ? null : note.toString();
    }

    private String applyOne(HeaderAction action, Fields fields) {
        String name = lowerCaseNames ? action.name().toLowerCase(Locale.ROOT) : action.name();
        if (untouchable.test(name)) {
            return "refused " + action.kind() + " of " + action.name();
        }
        switch (action.kind()) {
            case ADD:
                if (!fields.contains().test(name)) {
                    fields.add().accept(name, action.value());
                }
                return null;
            case DELETE:
                fields.remove().accept(name);
                return null;
            case REPLACE:
                fields.set().accept(name, action.value());
                return null;
            default:
                return "header mismatch " + action.name();
        }
    }
}
