package io.portcullis.policy.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class Ipv4CidrTest {
    @Test
    void parsesAndNormalises() {
        assertThat(Ipv4Cidr.parse("10.1.2.3/8")).isEqualTo(Ipv4Cidr.parse("10.0.0.0/8"));
        assertThat(Ipv4Cidr.parse("10.1.2.3").toString()).isEqualTo("10.1.2.3/32");
        assertThat(Ipv4Cidr.parse("0.0.0.0/0")).isEqualTo(Ipv4Cidr.ANY);
        assertThat(Ipv4Cidr.parse("255.255.255.255/32").address()).isEqualTo(-1);
    }

    @Test
    void containment() {
        Ipv4Cidr ten = Ipv4Cidr.parse("10.0.0.0/8");
        assertThat(ten.contains(Ipv4Cidr.parse("10.96.0.0/12"))).isTrue();
        assertThat(ten.contains(ten)).isTrue();
        assertThat(Ipv4Cidr.parse("10.96.0.0/12").contains(ten)).isFalse();
        assertThat(ten.contains(Ipv4Cidr.parseAddress("11.0.0.0"))).isFalse();
        assertThat(Ipv4Cidr.ANY.contains(Ipv4Cidr.parseAddress("200.1.1.1"))).isTrue();
    }

    @Test
    void rejectsWhatIsNotAnIpv4Cidr() {
        assertThatThrownBy(() -> Ipv4Cidr.parse("10.0.0.0/33")).hasMessage("invalid CIDR '10.0.0.0/33': prefix length must be 0..32");
        assertThatThrownBy(() -> Ipv4Cidr.parse("10.0.0/8")).hasMessage("invalid CIDR '10.0.0/8': '10.0.0' is not an IPv4 address");
        assertThatThrownBy(() -> Ipv4Cidr.parse("fd00::/8")).hasMessage("invalid CIDR 'fd00::/8': IPv6 is not supported");
        assertThatThrownBy(() -> Ipv4Cidr.parseAddress("1.2.3.-4")).hasMessage("invalid IPv4 address '1.2.3.-4'");
    }
}
