package io.portcullis.agent.dns;

import io.portcullis.bpf.maps.OrigDstValue;
import io.portcullis.policy.model.Protocol;
import io.portcullis.policy.net.Ipv4Cidr;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * One query through the DNS proxy: parsed (a message that is not one query is dropped and
 * counted), judged by the DNS rules (a denied name is answered {@code REFUSED}), forwarded
 * unchanged to the resolver the client asked, over the client's protocol, and its answer parsed
 * and learned before it is returned. An answer that does not parse, or is not the answer to this
 * query, is not released: nothing could be learned from it.
 */
public final class DnsExchange {
    private final DnsRules rules;
    private final DnsLearner learner;
    private final DnsCounters counters;
    private final Consumer<Map<String, Object>> log;
    private final Duration timeout;

    /** @param log receives one access-log record (field -> value) per judged query */
    public DnsExchange(DnsRules rules, DnsLearner learner, DnsCounters counters, Consumer<Map<String, Object>> log,
                       Duration timeout) {
        this.rules = rules;
        this.learner = learner;
        this.counters = counters;
        this.log = log;
        this.timeout = timeout;
    }

    /**
     * @param client   the querying endpoint's address
     * @param origin   where the client sent the query, and its identity (recorded by the kernel)
     * @param protocol UDP or TCP
     * @return the message to send back, or null to send nothing
     */
    public byte[] handle(byte[] query, Inet4Address client, OrigDstValue origin, Protocol protocol) {
        Message message;
        try {
            message = new Message(query);
        } catch (IOException e) {
            counters.malformed.incrementAndGet();
            return null;
        }
        Record question = message.getQuestion();
        if (question == null || message.getHeader().getFlag(Flags.QR)
                || message.getHeader().getOpcode() != Opcode.QUERY) {
            counters.malformed.incrementAndGet();
            return null;
        }
        String name = question.getName().toString();
        DnsVerdict verdict = rules.judge(origin.srcIdentity(), origin.addr(), origin.port(), protocol, name);
        if (!verdict.allowed()) {
            counters.refused.incrementAndGet();
            record(client, origin, protocol, question, Rcode.REFUSED, List.of(), verdict);
            return refusal(message).toWire();
        }
        byte[] answer;
        Message response;
        try {
            answer = protocol == Protocol.TCP ? forwardTcp(query, origin) : forwardUdp(query, origin,
                    message.getHeader().getID());
            response = new Message(answer);
        } catch (IOException e) {
            counters.upstreamFailed.incrementAndGet();
            return null;
        }
        if (response.getHeader().getID() != message.getHeader().getID()) {
            counters.upstreamFailed.incrementAndGet();
            return null;
        }
        Map<String, Map<Ipv4Cidr, Long>> learned = addresses(response, question.getName());
        if (!learned.isEmpty()) {
            learner.learn(learned);
        }
        counters.allowed.incrementAndGet();
        List<String> answers = new ArrayList<>();
        for (Record record : response.getSection(Section.ANSWER)) {
            answers.add(record.rdataToString());
        }
        record(client, origin, protocol, question, response.getHeader().getRcode(), answers, verdict);
        return answer;
    }

    /** The A records of an answer for the queried name and each name of its CNAME chain, by name. */
    static Map<String, Map<Ipv4Cidr, Long>> addresses(Message response, Name queried) {
        Set<Name> chain = new LinkedHashSet<>(List.of(queried));
        List<Record> records = response.getSection(Section.ANSWER);
        boolean grew = true;
        while (grew) {
            grew = false;
            for (Record record : records) {
                if (record instanceof CNAMERecord cname && chain.contains(cname.getName())) {
                    grew |= chain.add(cname.getTarget());
                }
            }
        }
        Map<Ipv4Cidr, Long> found = new LinkedHashMap<>();
        for (Record record : records) {
            if (record instanceof ARecord a && chain.contains(a.getName())) {
                Ipv4Cidr address = Ipv4Cidr.parse(a.getAddress().getHostAddress() + "/32");
                found.merge(address, a.getTTL(), Math::min);
            }
        }
        Map<String, Map<Ipv4Cidr, Long>> byName = new LinkedHashMap<>();
        if (!found.isEmpty()) {
            for (Name name : chain) {
                byName.put(name.toString(), found);
            }
        }
        return byName;
    }

    private static Message refusal(Message query) {
        Message refusal = new Message(query.getHeader().getID());
        refusal.getHeader().setFlag(Flags.QR);
        if (query.getHeader().getFlag(Flags.RD)) {
            refusal.getHeader().setFlag(Flags.RD);
        }
        refusal.getHeader().setRcode(Rcode.REFUSED);
        refusal.addRecord(query.getQuestion(), Section.QUESTION);
        return refusal;
    }

    /** Sends the query from a fresh socket (a random port) and waits for the datagram answering its id. */
    private byte[] forwardUdp(byte[] query, OrigDstValue origin, int id) throws IOException {
        try (DatagramSocket upstream = new DatagramSocket()) {
            upstream.setSoTimeout((int) timeout.toMillis());
            upstream.connect(new InetSocketAddress(origin.addr(), origin.port()));
            upstream.send(new DatagramPacket(query, query.length));
            byte[] buffer = new byte[65_535];
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                upstream.receive(packet);
                if (packet.getLength() >= 2 && ((buffer[0] & 0xff) << 8 | (buffer[1] & 0xff)) == id) {
                    byte[] answer = new byte[packet.getLength()];
                    System.arraycopy(buffer, 0, answer, 0, answer.length);
                    return answer;
                }
            }
            throw new SocketTimeoutException("no answer within " + timeout.toMillis() + " ms");
        }
    }

    private byte[] forwardTcp(byte[] query, OrigDstValue origin) throws IOException {
        try (Socket upstream = new Socket()) {
            upstream.connect(new InetSocketAddress(origin.addr(), origin.port()), (int) timeout.toMillis());
            upstream.setSoTimeout((int) timeout.toMillis());
            DataOutputStream out = new DataOutputStream(upstream.getOutputStream());
            out.writeShort(query.length);
            out.write(query);
            out.flush();
            DataInputStream in = new DataInputStream(upstream.getInputStream());
            byte[] answer = new byte[in.readUnsignedShort()];
            in.readFully(answer);
            return answer;
        }
    }

    private void record(Inet4Address client, OrigDstValue origin, Protocol protocol, Record question, int rcode,
                        List<String> answers, DnsVerdict verdict) {
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("type", "dns");
        record.put("time", Instant.now().toString());
        record.put("source", client.getHostAddress());
        record.put("sourceIdentity", origin.srcIdentity());
        record.put("resolver", origin.addr().getHostAddress() + ":" + origin.port());
        record.put("protocol", protocol.name().toLowerCase(Locale.ROOT));
        record.put("query", question.getName().toString());
        record.put("qtype", Type.string(question.getType()));
        record.put("rcode", Rcode.string(rcode));
        record.put("answers", answers);
        record.put("verdict", verdict.allowed() ? "allowed" : "denied");
        record.put("policy", verdict.policy());
        record.put("reason", verdict.reason());
        log.accept(record);
    }
}
