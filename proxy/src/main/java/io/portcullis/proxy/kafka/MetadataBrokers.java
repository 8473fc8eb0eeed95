package io.portcullis.proxy.kafka;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.protocol.ApiKeys;

/**
 * The brokers a denied Metadata response must list. The Java client ignores a Metadata response
 * without brokers and retries until its timeout, so a deny has to name the cluster: the proxy
 * remembers the brokers of the last Metadata response it relayed on the connection, and when it
 * has relayed none yet asks the broker itself with a brokers-only Metadata request (an empty topic
 * list, {@link OwnRequests#brokersOnlyMetadata}), sent in the denied request's place under its correlation id. The broker advertises the
 * addresses clients must use (the proxy's, when it sits in front), so the deny sends the client
 * nowhere the broker would not.
 */
final class MetadataBrokers {
    private MetadataBrokers() {
    }

    /** The brokers of a complete Metadata response frame of {@code version}. */
    static List<Node> read(ByteBuf response, short version) {
        MetadataResponseData data = new MetadataResponseData(
                ResponseBodies.body(response, ApiKeys.METADATA, version), version);
        List<Node> brokers = new ArrayList<>(data.brokers().size());
        for (MetadataResponseData.MetadataResponseBroker broker : data.brokers()) {
            brokers.add(new Node(broker.nodeId(), broker.host(), broker.port(), broker.rack()));
        }
        return brokers;
    }

    /** The top-level error of a Metadata response (v13+), 0 before: for the access log. */
    static short errorCode(ByteBuf response, short version) {
        return new MetadataResponseData(ResponseBodies.body(response, ApiKeys.METADATA, version), version).errorCode();
    }
}
