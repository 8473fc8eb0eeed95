package io.portcullis.parsers.http1;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PathNormalizerTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "/                      | /",
            "/a                     | /a",
            "/a/                    | /a/",
            "/a/b/c                 | /a/b/c",
            "//a///b                | /a/b",
            "/a/./b                 | /a/b",
            "/a/../b                | /b",
            "/a/b/..                | /a/",
            "/a/b/.                 | /a/b/",
            "/..                    | /",
            "/../../etc/passwd      | /etc/passwd",
            "/a/../../b             | /b",
            "/%2e%2e/admin          | /admin",
            "/%2E%2E/admin          | /admin",
            "/public/%2e%2e/admin   | /admin",
            "/public/.%2e/admin     | /admin",
            "/a/%2e/b               | /a/b",
            "/%41%42c               | /ABc",
            "/%7euser               | /~user",
            "/a%2db                 | /a-b",
            "/a%20b                 | /a%20b",
            "/a%3fb                 | /a%3Fb",
            "/%252e%252e/x          | /%252e%252e/x",
            "/a;v=1/b               | /a;v=1/b",
            "/a;v=1/../b            | /b",
            "/...                   | /...",
            "/a/.../b               | /a/.../b",
            "/.hidden               | /.hidden",
            "/a//../b               | /b",
            "/./                    | /",
            "/a/b//                 | /a/b/",
    })
    void normalises(String in, String expected) {
        assertThat(PathNormalizer.normalize(in)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/a%2Fb", "/a%2fb", "/a%5Cb", "/a%5cb", "/a\\b", "/a%00", "/a%2", "/a%zz",
            "/a/..;/b", "/a/.;x/b", "/%2e%2e;/x", "a/b", ""})
    void rejects(String in) {
        assertThatThrownBy(() -> PathNormalizer.normalize(in))
                .isInstanceOfSatisfying(BadRequestException.class, e -> assertThat(e.status()).isEqualTo(400));
    }
}
