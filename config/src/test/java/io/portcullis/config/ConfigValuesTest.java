package io.portcullis.config;

import static org.assertj.core.api.Assertions.assertThat;
import java.io.IOException;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class ConfigValuesTest {
    @Test
    void prefixContainmentHoldsAtBothEndsOfTheLengths() throws IOException {
        InetAddress vip = InetAddress.getByName("10.96.0.10");
        assertThat(ConfigValues.inPrefix(vip, "0.0.0.0/0")).as("/0 holds every address").isTrue();
        assertThat(ConfigValues.inPrefix(InetAddress.getByName("255.255.255.255"), "0.0.0.0/0")).isTrue();
        assertThat(ConfigValues.inPrefix(vip, "10.96.0.10/32")).isTrue();
        assertThat(ConfigValues.inPrefix(InetAddress.getByName("10.96.0.11"), "10.96.0.10/32")).isFalse();
        assertThat(ConfigValues.inPrefix(vip, "10.0.0.0/8")).isTrue();
        assertThat(ConfigValues.inPrefix(InetAddress.getByName("11.96.0.10"), "10.0.0.0/8")).isFalse();
    }
}
