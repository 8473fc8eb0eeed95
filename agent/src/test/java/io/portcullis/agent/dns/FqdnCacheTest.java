package io.portcullis.agent.dns;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.config.DnsProxyConfig;
import io.portcullis.policy.model.FqdnSelector;
import io.portcullis.policy.net.Ipv4Cidr;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FqdnCacheTest {
    private static final DnsProxyConfig CONFIG = new DnsProxyConfig(15053, Duration.ofSeconds(10), 2, 2,
            Duration.ofSeconds(5), Duration.ofSeconds(1));
    private static final Ipv4Cidr A = Ipv4Cidr.parse("192.0.2.1/32");
    private static final Ipv4Cidr B = Ipv4Cidr.parse("192.0.2.2/32");
    private static final Ipv4Cidr C = Ipv4Cidr.parse("192.0.2.3/32");

    @TempDir
    Path dir;

    @Test
    void shortTtlsLastTheMinimumAndExpiryWaitsForTheGracePeriod() throws Exception {
        FqdnCache cache = new FqdnCache(CONFIG, null);
        assertThat(cache.learn("API.example.com.", Map.of(A, 1L), 0)).isTrue();
        assertThat(cache.learn("api.example.com", Map.of(A, 30L), 0)).as("a longer validity only").isFalse();
        assertThat(cache.entries()).containsExactly(new FqdnCache.Learned("api.example.com", A, 30_000));
        assertThat(cache.expire(34_999)).as("within the grace period").isFalse();
        assertThat(cache.expire(35_000)).isTrue();
        assertThat(cache.entries()).isEmpty();
        assertThat(cache.nameCount()).isZero();
    }

    @Test
    void addressesPerNameAndNamesAreCappedAndTheCapIsCounted() throws Exception {
        FqdnCache cache = new FqdnCache(CONFIG, null);
        cache.learn("a.test", Map.of(A, 100L, B, 20L, C, 50L), 0);
        assertThat(cache.entries()).extracting(FqdnCache.Learned::address).containsExactly(A, C);
        cache.learn("b.test", Map.of(A, 100L), 0);
        assertThat(cache.learn("c.test", Map.of(B, 100L), 0)).as("past maxNames").isFalse();
        assertThat(cache.nameCount()).isEqualTo(2);
        assertThat(cache.capped()).isEqualTo(2);
    }

    @Test
    void labelsFollowTheSelectorsMatchingEachName() throws Exception {
        FqdnCache cache = new FqdnCache(CONFIG, null);
        cache.learn("api.example.com", Map.of(A, 100L), 0);
        cache.learn("other.test", Map.of(B, 100L), 0);
        FqdnSelector name = FqdnSelector.name("api.example.com");
        FqdnSelector pattern = FqdnSelector.pattern("*.example.com");
        assertThat(cache.labels(List.of(name, pattern))).isEqualTo(Map.of(A, Set.of(name.label(), pattern.label())));
    }

    @Test
    void learnedNamesSurviveARestart() throws Exception {
        Path file = dir.resolve("fqdn.json");
        FqdnCache cache = FqdnCache.load(CONFIG, file);
        cache.learn("api.example.com", Map.of(A, 100L), 1_000);
        FqdnCache restored = FqdnCache.load(CONFIG, file);
        assertThat(restored.entries()).containsExactly(new FqdnCache.Learned("api.example.com", A, 101_000));
    }
}
