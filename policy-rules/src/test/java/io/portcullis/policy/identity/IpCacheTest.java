package io.portcullis.policy.identity;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.policy.net.Ipv4Cidr;
import java.util.List;
import org.junit.jupiter.api.Test;

class IpCacheTest {
    private final IdentityAllocator allocator = new IdentityAllocator();

    @Test
    void longestPrefixWinsAndEndpointsBeatCidrs() {
        IpCache cache = IpCache.builder(allocator)
                .cidrs(List.of(Ipv4Cidr.parse("10.0.0.0/8"), Ipv4Cidr.parse("10.1.0.0/16"),
                        Ipv4Cidr.parse("10.1.2.3/32"), Ipv4Cidr.ANY))
                .endpoint(new EndpointAddresses("api-1", Labels.parse("app=api"), List.of("10.1.2.3")))
                .hostAddress("10.1.0.1")
                .build();
        IpCache.Entry endpoint = cache.lookup("10.1.2.3");
        assertThat(endpoint.identity().labels()).isEqualTo(Labels.parse("app=api"));
        assertThat(endpoint.endpoint()).isEqualTo("api-1");
        assertThat(cache.lookup("10.1.2.4").identity().labels().toString()).isEqualTo("cidr:10.1.0.0/16");
        assertThat(cache.lookup("10.2.0.1").identity().labels().toString()).isEqualTo("cidr:10.0.0.0/8");
        assertThat(cache.lookup("10.1.0.1").identity()).isEqualTo(Identity.HOST);
        IpCache.Entry world = cache.lookup("8.8.8.8");
        assertThat(world.identity()).isEqualTo(Identity.WORLD);
        assertThat(world.prefix()).isEqualTo(Ipv4Cidr.ANY);
        assertThat(cache.entries()).extracting(e -> e.prefix().toString())
                .containsExactly("10.0.0.0/8", "10.1.0.0/16", "10.1.0.1/32", "10.1.2.3/32");
    }

    @Test
    void anEmptyCacheIsAllWorld() {
        assertThat(IpCache.builder(allocator).build().lookup("192.168.0.1").identity()).isEqualTo(Identity.WORLD);
    }
}
