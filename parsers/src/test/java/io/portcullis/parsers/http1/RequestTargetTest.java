package io.portcullis.parsers.http1;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RequestTargetTest {

    @Test
    void keepsQueryUntouched() {
        RequestTarget t = RequestTarget.parse("GET", "/a/../b?x=%2e%2e/../y&z=%2F");
        assertThat(t.path()).isEqualTo("/b");
        assertThat(t.query()).isEqualTo("x=%2e%2e/../y&z=%2F");
        assertThat(t.pathAndQuery()).isEqualTo("/b?x=%2e%2e/../y&z=%2F");
    }

    @Test
    void absoluteFormGivesPathAndAuthority() {
        RequestTarget t = RequestTarget.parse("GET", "http://api.example:8080/v1/../v2?q=1");
        assertThat(t.authority()).isEqualTo("api.example:8080");
        assertThat(t.pathAndQuery()).isEqualTo("/v2?q=1");
        assertThat(RequestTarget.parse("GET", "HTTP://h").pathAndQuery()).isEqualTo("/");
        assertThat(RequestTarget.parse("GET", "http://h?x").pathAndQuery()).isEqualTo("/?x");
    }

    @Test
    void asteriskOnlyForOptions() {
        assertThat(RequestTarget.parse("OPTIONS", "*").path()).isEqualTo("*");
        assertThatThrownBy(() -> RequestTarget.parse("GET", "*")).isInstanceOf(BadRequestException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"example.com:443", "ftp://h/x", "http://user@h/x", "/a#frag", "/a b", "/a\"b",
            "/a<b", "/a{b}", "/a|b", "/a^b", "/a`b", "/a[b]", "http:///x", "/a%g0"})
    void rejects(String target) {
        assertThatThrownBy(() -> RequestTarget.parse("GET", target)).isInstanceOf(BadRequestException.class);
    }

    @Test
    void rejectsConnect() {
        assertThatThrownBy(() -> RequestTarget.parse("CONNECT", "example.com:443"))
                .hasMessageContaining("CONNECT");
    }
}
