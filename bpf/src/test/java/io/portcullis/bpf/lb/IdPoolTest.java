package io.portcullis.bpf.lb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class IdPoolTest {

    @Test
    void aFreedIdIsHandedOutOnlyAfterTheOthersWrappingAround() {
        IdPool pool = new IdPool("backend", 4);
        assertThat(pool.allocate()).isEqualTo(1);
        assertThat(pool.allocate()).isEqualTo(2);
        assertThat(pool.allocate()).isEqualTo(3);

        pool.release(2);

        assertThat(pool.allocate()).as("not the freed 2").isEqualTo(4);
        assertThat(pool.allocate()).as("wrapped around").isEqualTo(2);
        assertThat(pool.free()).isZero();
        assertThatThrownBy(pool::allocate).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("all 4 backend ids are in use");
    }

    @Test
    void idsTakenFromTheMapsAreSkippedAndCountedAndClearForgetsThem() {
        IdPool pool = new IdPool("service", 10);
        pool.take(1);
        pool.take(2);

        assertThat(pool.free()).isEqualTo(8);
        assertThat(pool.allocate()).isEqualTo(3);
        pool.clear();
        assertThat(pool.free()).isEqualTo(10);
        assertThat(pool.allocate()).as("the round-robin position stays").isEqualTo(4);
    }
}
