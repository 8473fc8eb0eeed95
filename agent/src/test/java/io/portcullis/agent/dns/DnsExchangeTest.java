package io.portcullis.agent.dns;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.bpf.maps.OrigDstValue;
import io.portcullis.policy.model.Protocol;
import io.portcullis.policy.net.Ipv4Cidr;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** Judgement and answer parsing without sockets: a denied name never reaches a resolver. */
class DnsExchangeTest {
    @Test
    void addressesAreLearnedThroughCnameChainsForEveryNameOfTheChain() throws Exception {
        Name queried = Name.fromString("www.example.com.");
        Name target = Name.fromString("edge.cdn.test.");
        Message response = Message.newQuery(Record.newRecord(queried, Type.A, DClass.IN));
        response.addRecord(new CNAMERecord(queried, DClass.IN, 300, target), Section.ANSWER);
        response.addRecord(new ARecord(target, DClass.IN, 30, InetAddress.getByName("192.0.2.7")), Section.ANSWER);
        response.addRecord(new ARecord(Name.fromString("unrelated.test."), DClass.IN, 30,
                InetAddress.getByName("192.0.2.8")), Section.ANSWER);
        Map<String, Map<Ipv4Cidr, Long>> learned = DnsExchange.addresses(response, queried);
        assertThat(learned).containsOnlyKeys("www.example.com.", "edge.cdn.test.");
        assertThat(learned.get("www.example.com.")).isEqualTo(Map.of(Ipv4Cidr.parse("192.0.2.7/32"), 30L));
    }

    @Test
    void aDeniedNameIsRefusedAndMalformedMessagesAreDroppedAndCounted() throws Exception {
        DnsCounters counters = new DnsCounters();
        List<Map<String, Object>> log = new ArrayList<>();
        DnsExchange exchange = new DnsExchange((id, resolver, port, protocol, name) ->
                new DnsVerdict(false, "p", "no rule allows " + name), addresses -> { }, counters, log::add,
                Duration.ofMillis(100));
        OrigDstValue origin = new OrigDstValue((Inet4Address) InetAddress.getByName("192.0.2.53"), 53, 300);
        Inet4Address client = (Inet4Address) InetAddress.getByName("10.0.0.2");
        byte[] query = Message.newQuery(Record.newRecord(Name.fromString("denied.test."), Type.A, DClass.IN)).toWire();

        Message refusal = new Message(exchange.handle(query, client, origin, Protocol.UDP));
        assertThat(refusal.getHeader().getRcode()).isEqualTo(Rcode.REFUSED);
        assertThat(refusal.getQuestion().getName().toString()).isEqualTo("denied.test.");
        assertThat(log).singleElement().satisfies(record -> assertThat(record).containsEntry("verdict", "denied")
                .containsEntry("query", "denied.test.").containsEntry("rcode", "REFUSED"));

        assertThat(exchange.handle(new byte[] {1, 2, 3}, client, origin, Protocol.UDP)).isNull();
        byte[] cut = new byte[query.length - 3];
        System.arraycopy(query, 0, cut, 0, cut.length);
        assertThat(exchange.handle(cut, client, origin, Protocol.UDP)).isNull();
        assertThat(counters.snapshot()).containsEntry("refused", 1L).containsEntry("malformed", 2L);
    }
}
