package io.portcullis.agent.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class EndpointOptionsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static boolean audit(String body) throws Exception {
        return EndpointOptions.audit(JSON.readTree(body));
    }

    @Test
    void auditIsOnOrOff() throws Exception {
        assertThat(audit("{\"audit\": \"on\"}")).isTrue();
        assertThat(audit("{\"audit\": \"off\"}")).isFalse();
        assertThat(EndpointOptions.auditText(true)).isEqualTo("on");
        assertThat(EndpointOptions.auditText(false)).isEqualTo("off");
    }

    @Test
    void anythingElseIsRefusedNeverTakenAsOn() {
        for (String value : new String[] {"\"yes\"", "\"true\"", "\"ON\"", "\"\"", "true", "1", "null"}) {
            assertThatThrownBy(() -> audit("{\"audit\": " + value + "}")).as(value)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("audit must be on or off");
        }
        assertThatThrownBy(() -> audit("{\"PolicyAuditMode\": \"on\"}"))
                .hasMessage("unknown endpoint option 'PolicyAuditMode'; valid: audit=on|off");
        assertThatThrownBy(() -> audit("{\"audit\": \"on\", \"x\": \"1\"}"))
                .hasMessageStartingWith("unknown endpoint option 'x'");
        assertThatThrownBy(() -> audit("{}")).hasMessageContaining("valid: audit=on|off");
        assertThatThrownBy(() -> audit("[\"audit=on\"]")).hasMessageContaining("valid: audit=on|off");
    }
}
