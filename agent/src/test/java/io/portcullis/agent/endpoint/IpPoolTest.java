package io.portcullis.agent.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Addresses of the endpoint pool: the host's first, then endpoints', never network or broadcast. */
class IpPoolTest {
    @Test
    void theHostHasTheFirstAddressAndEndpointsTheNextOnes() {
        IpPool pool = new IpPool("10.20.0.0/24");
        assertThat(pool.hostAddress().getHostAddress()).isEqualTo("10.20.0.1");
        assertThat(pool.allocate().getHostAddress()).isEqualTo("10.20.0.2");
        assertThat(pool.allocate().getHostAddress()).isEqualTo("10.20.0.3");
    }

    @Test
    void aReleasedAddressIsHandedOutAgainButNeverTheHostsOrTheBroadcast() {
        IpPool pool = new IpPool("10.20.0.0/28");
        for (int i = 2; i <= 14; i++) {
            assertThat(pool.allocate().getHostAddress()).isEqualTo("10.20.0." + i);
        }
        assertThatThrownBy(pool::allocate).hasMessageContaining("exhausted").hasMessageContaining("13 addresses");
        pool.release(IpPool.parse("10.20.0.7"));
        pool.release(IpPool.parse("10.20.0.1"));   // the host's: not released
        pool.release(IpPool.parse("10.20.0.15"));  // broadcast: not released
        assertThat(pool.allocate().getHostAddress()).isEqualTo("10.20.0.7");
        assertThatThrownBy(pool::allocate).hasMessageContaining("exhausted");
    }

    @Test
    void claimedAddressesAreSkipped() {
        IpPool pool = new IpPool("10.20.0.0/24");
        pool.claim(IpPool.parse("10.20.0.2"));
        pool.claim(IpPool.parse("10.20.0.3"));
        assertThat(pool.allocate().getHostAddress()).isEqualTo("10.20.0.4");
        assertThatThrownBy(() -> pool.claim(IpPool.parse("10.21.0.2"))).hasMessageContaining("outside the endpoint pool");
    }

    @Test
    void badPoolsAreRefusedWithTheReason() {
        assertThatThrownBy(() -> new IpPool("10.0.0.0/7")).hasMessageContaining("between /8 and /28");
        assertThatThrownBy(() -> new IpPool("10.20.0.0/30")).hasMessageContaining("between /8 and /28");
        assertThatThrownBy(() -> new IpPool("10.20.0.1/24")).hasMessageContaining("host bits set");
        assertThatThrownBy(() -> IpPool.parse("10.20.0")).hasMessageContaining("not an IPv4 address");
    }
}
