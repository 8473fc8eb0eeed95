package io.portcullis.parsers.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.common.protocol.ApiKeys;
import org.junit.jupiter.api.Test;

class KafkaApisTest {
    @Test
    void namesResolveCaseInsensitively() {
        assertThat(KafkaApis.forName("produce")).contains(ApiKeys.PRODUCE);
        assertThat(KafkaApis.forName("Fetch")).contains(ApiKeys.FETCH);
        assertThat(KafkaApis.forName("offsetcommit")).contains(ApiKeys.OFFSET_COMMIT);
        assertThat(KafkaApis.forName("OffsetCommit")).contains(ApiKeys.OFFSET_COMMIT);
        assertThat(KafkaApis.forName("OFFSET_COMMIT")).contains(ApiKeys.OFFSET_COMMIT);
        assertThat(KafkaApis.forName("list_offsets")).contains(ApiKeys.LIST_OFFSETS);
        assertThat(KafkaApis.forName("offsets")).contains(ApiKeys.LIST_OFFSETS);
        assertThat(KafkaApis.forName("apiversions")).contains(ApiKeys.API_VERSIONS);
    }

    @Test
    void unknownAndRetiredNamesDoNotResolve() {
        assertThat(KafkaApis.forName("nosuchapi")).isEmpty();
        assertThat(KafkaApis.forName("leaderandisr")).isEmpty();
    }

    @Test
    void rolesAreCiliums() {
        assertThat(KafkaApis.role("PRODUCE")).contains(KafkaApis.PRODUCE_ROLE);
        assertThat(KafkaApis.PRODUCE_ROLE).containsExactlyInAnyOrder(ApiKeys.PRODUCE, ApiKeys.METADATA, ApiKeys.API_VERSIONS);
        assertThat(KafkaApis.role("consume").orElseThrow()).containsExactlyInAnyOrder(ApiKeys.FETCH,
                ApiKeys.LIST_OFFSETS, ApiKeys.METADATA, ApiKeys.OFFSET_COMMIT, ApiKeys.OFFSET_FETCH,
                ApiKeys.FIND_COORDINATOR, ApiKeys.JOIN_GROUP, ApiKeys.HEARTBEAT, ApiKeys.LEAVE_GROUP,
                ApiKeys.SYNC_GROUP, ApiKeys.API_VERSIONS);
        assertThat(KafkaApis.role("admin")).isEmpty();
    }
}
