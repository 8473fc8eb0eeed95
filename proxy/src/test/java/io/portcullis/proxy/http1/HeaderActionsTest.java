package io.portcullis.proxy.http1;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.portcullis.policy.model.HeaderAction.Kind;
import io.portcullis.policy.model.HeaderAction;

import java.util.List;
import org.junit.jupiter.api.Test;

class HeaderActionsTest {
    @Test
    void appliesAddDeleteReplaceAndReportsLog() {
        HttpHeaders h = new DefaultHttpHeaders().add("X-Keep", "1").add("X-Del", "2").add("X-Rep", "old")
                .add("Content-Length", "3");
        String note = HeaderActions.apply(List.of(new HeaderAction(Kind.ADD, "X-New", "n"),
                new HeaderAction(Kind.ADD, "X-Keep", "ignored"), new HeaderAction(Kind.DELETE, "x-del", ""),
                new HeaderAction(Kind.REPLACE, "X-Rep", "new"), new HeaderAction(Kind.LOG, "X-Audit", ""),
                new HeaderAction(Kind.DELETE, "Content-Length", "")), h);
        assertThat(h.get("X-New")).isEqualTo("n");
        assertThat(h.getAll("X-Keep")).containsExactly("1");
        assertThat(h.contains("X-Del")).isFalse();
        assertThat(h.getAll("X-Rep")).containsExactly("new");
        assertThat(h.get("Content-Length")).isEqualTo("3");
        assertThat(note).contains("header mismatch X-Audit").contains("refused DELETE of Content-Length");
    }

    @Test
    void hopByHopStripsNominatedButNeverFramingFields() {
        HttpHeaders h = new DefaultHttpHeaders().add("Connection", "keep-alive, X-Hop, Content-Length, Host")
                .add("X-Hop", "1").add("Keep-Alive", "5").add("Upgrade", "websocket").add("TE", "trailers")
                .add("Content-Length", "3").add("Host", "h");
        HopByHop.strip(h);
        assertThat(h.names()).containsExactlyInAnyOrder("Content-Length", "Host");
    }
}
