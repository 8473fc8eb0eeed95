package io.portcullis.parsers.kafka;

import java.util.EnumSet;
import java.util.Set;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.FindCoordinatorRequest.CoordinatorType;

/**
 * The authorization error a broker would give for a request it refuses: topic APIs get
 * TOPIC_AUTHORIZATION_FAILED, group and transaction APIs their own resource's error, and the rest
 * CLUSTER_AUTHORIZATION_FAILED. Clients turn each into a matching exception
 * (TopicAuthorizationException, GroupAuthorizationException, ...), which is what a denied user
 * should see.
 */
final class AuthorizationErrors {
    private static final Set<ApiKeys> GROUP_APIS = EnumSet.of(
            ApiKeys.JOIN_GROUP, ApiKeys.HEARTBEAT, ApiKeys.LEAVE_GROUP, ApiKeys.SYNC_GROUP,
            ApiKeys.DESCRIBE_GROUPS, ApiKeys.DELETE_GROUPS, ApiKeys.CONSUMER_GROUP_HEARTBEAT,
            ApiKeys.CONSUMER_GROUP_DESCRIBE, ApiKeys.SHARE_GROUP_HEARTBEAT, ApiKeys.SHARE_GROUP_DESCRIBE,
            ApiKeys.STREAMS_GROUP_HEARTBEAT, ApiKeys.STREAMS_GROUP_DESCRIBE);
    private static final Set<ApiKeys> TRANSACTION_APIS = EnumSet.of(
            ApiKeys.ADD_OFFSETS_TO_TXN, ApiKeys.END_TXN, ApiKeys.DESCRIBE_TRANSACTIONS);
    private static final Set<ApiKeys> DELEGATION_TOKEN_APIS = EnumSet.of(
            ApiKeys.CREATE_DELEGATION_TOKEN, ApiKeys.RENEW_DELEGATION_TOKEN, ApiKeys.EXPIRE_DELEGATION_TOKEN,
            ApiKeys.DESCRIBE_DELEGATION_TOKEN);

    private AuthorizationErrors() {
    }

    /** For a frame whose version kafka-clients reads ({@link KafkaRequestFrame#versionSupported()}). */
    static Errors of(KafkaRequestFrame frame) {
        ApiKeys api = frame.apiKey();
        if (GROUP_APIS.contains(api)) {
            return Errors.GROUP_AUTHORIZATION_FAILED;
        }
        if (TRANSACTION_APIS.contains(api)) {
            return Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED;
        }
        if (DELEGATION_TOKEN_APIS.contains(api)) {
            return Errors.DELEGATION_TOKEN_AUTHORIZATION_FAILED;
        }
        if (api == ApiKeys.FIND_COORDINATOR) {
            return findCoordinator((FindCoordinatorRequestData) frame.request().data());
        }
        if (api == ApiKeys.INIT_PRODUCER_ID) {
            // Without a transactional id this is an idempotent producer asking for an id: a cluster action.
            return ((InitProducerIdRequestData) frame.request().data()).transactionalId() == null
                    ? Errors.CLUSTER_AUTHORIZATION_FAILED : Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED;
        }
        boolean topicApi = frame.topics().extracted() && !TopicExtractor.NO_TOPICS.contains(api);
        return topicApi ? Errors.TOPIC_AUTHORIZATION_FAILED : Errors.CLUSTER_AUTHORIZATION_FAILED;
    }

    private static Errors findCoordinator(FindCoordinatorRequestData data) {
        return data.keyType() == CoordinatorType.TRANSACTION.id()
                ? Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED : Errors.GROUP_AUTHORIZATION_FAILED;
    }
}
