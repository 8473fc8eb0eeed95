package io.portcullis.policy.identity;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.policy.net.Ipv4Cidr;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class IdentityAllocatorTest {
    @Test
    void oneStableNumberPerLabelSetFrom256() {
        IdentityAllocator allocator = new IdentityAllocator();
        Identity api = allocator.allocate(Labels.parse("app=api,env=prod"));
        Identity web = allocator.allocate(Labels.parse("app=web"));
        assertThat(api.id()).isEqualTo(256);
        assertThat(web.id()).isEqualTo(257);
        assertThat(allocator.allocate(Labels.parse("env=prod,k8s:app=api"))).isEqualTo(api);
        assertThat(allocator.byId(257)).contains(web);
        assertThat(api.isEndpoint()).isTrue();
    }

    @Test
    void reservedLabelsGetReservedIdentities() {
        IdentityAllocator allocator = new IdentityAllocator();
        assertThat(allocator.allocate(Labels.parse("reserved:host"))).isEqualTo(Identity.HOST);
        assertThat(Identity.reservedNamed("kube-apiserver")).contains(Identity.KUBE_APISERVER);
        assertThat(allocator.identities()).startsWith(Identity.UNKNOWN, Identity.HOST, Identity.WORLD);
    }

    @Test
    void cidrIdentitiesAreLocalScopeAndKnowTheirPrefix() {
        IdentityAllocator allocator = new IdentityAllocator();
        Identity ten = allocator.allocateCidr(Ipv4Cidr.parse("10.0.0.0/8"));
        assertThat(ten.id()).isEqualTo(16777217);
        assertThat(ten.labels().toString()).isEqualTo("cidr:10.0.0.0/8");
        assertThat(ten.isCidr()).isTrue();
        assertThat(ten.isEndpoint()).isFalse();
        assertThat(ten.cidr()).contains(Ipv4Cidr.parse("10.0.0.0/8"));
        assertThat(allocator.allocateCidr(Ipv4Cidr.parse("10.9.9.9/8"))).isEqualTo(ten);
        assertThat(allocator.allocateCidr(Ipv4Cidr.parse("10.0.0.0/16")).id()).isEqualTo(16777218);
        assertThat(allocator.allocateCidr(Ipv4Cidr.ANY)).isEqualTo(Identity.WORLD);
    }

    @Test
    void concurrentAllocationHandsOutOneNumberPerLabelSet() {
        IdentityAllocator allocator = new IdentityAllocator();
        Set<Integer> numbers = ConcurrentHashMap.newKeySet();
        IntStream.range(0, 10_000).parallel()
                .forEach(i -> numbers.add(allocator.allocate(Labels.parse("app=a" + (i % 100))).id()));
        assertThat(numbers).hasSize(100);
        assertThat(numbers).allMatch(n -> n >= 256 && n < 356);
    }

    @Test
    void restoredIdentitiesKeepTheirNumbersAndNewOnesComeAfter() {
        IdentityAllocator before = new IdentityAllocator();
        Identity web = before.allocate(Labels.parse("app=web"));
        Identity db = before.allocate(Labels.parse("app=db"));

        IdentityAllocator after = new IdentityAllocator();
        after.restore(db);
        after.restore(web);

        assertThat(after.allocate(Labels.parse("app=web"))).isEqualTo(web);
        assertThat(after.allocate(Labels.parse("app=db"))).isEqualTo(db);
        assertThat(after.allocate(Labels.parse("app=new")).id()).isEqualTo(db.id() + 1);
        org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> after.restore(new Identity(web.id(), Labels.parse("app=other"))))
                .hasMessageContaining("conflicts");
    }
}
