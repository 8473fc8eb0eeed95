package io.portcullis.policy.model;

import java.util.Map;
import java.util.OptionalInt;

/**
 * The ICMP and ICMPv6 message type names an {@code icmps} field may use instead of a number, as
 * Cilium accepts them (the IANA names, in CamelCase).
 */
public final class IcmpTypes {
    private static final Map<String, Integer> IPV4 = Map.ofEntries(
            Map.entry("EchoReply", 0), Map.entry("DestinationUnreachable", 3), Map.entry("Redirect", 5),
            Map.entry("Echo", 8), Map.entry("EchoRequest", 8), Map.entry("RouterAdvertisement", 9),
            Map.entry("RouterSelection", 10), Map.entry("TimeExceeded", 11), Map.entry("ParameterProblem", 12),
            Map.entry("Timestamp", 13), Map.entry("TimestampReply", 14), Map.entry("Photuris", 40),
            Map.entry("ExtendedEchoRequest", 42), Map.entry("ExtendedEchoReply", 43));
    private static final Map<String, Integer> IPV6 = Map.ofEntries(
            Map.entry("DestinationUnreachable", 1), Map.entry("PacketTooBig", 2), Map.entry("TimeExceeded", 3),
            Map.entry("ParameterProblem", 4), Map.entry("EchoRequest", 128), Map.entry("EchoReply", 129),
            Map.entry("MulticastListenerQuery", 130), Map.entry("MulticastListenerReport", 131),
            Map.entry("MulticastListenerDone", 132), Map.entry("RouterSolicitation", 133),
            Map.entry("RouterAdvertisement", 134), Map.entry("NeighborSolicitation", 135),
            Map.entry("NeighborAdvertisement", 136), Map.entry("RedirectMessage", 137),
            Map.entry("RouterRenumbering", 138), Map.entry("ICMPNodeInformationQuery", 139),
            Map.entry("ICMPNodeInformationResponse", 140), Map.entry("InverseNeighborDiscoverySolicitation", 141),
            Map.entry("InverseNeighborDiscoveryAdvertisement", 142),
            Map.entry("HomeAgentAddressDiscoveryRequest", 144), Map.entry("HomeAgentAddressDiscoveryReply", 145),
            Map.entry("MobilePrefixSolicitation", 146), Map.entry("MobilePrefixAdvertisement", 147),
            Map.entry("DuplicateAddressRequestCodeSuffix", 157),
            Map.entry("DuplicateAddressConfirmationCodeSuffix", 158), Map.entry("ExtendedEchoRequest", 160),
            Map.entry("ExtendedEchoReply", 161));

    private IcmpTypes() {
    }

    /** The type called {@code name} in {@code protocol} (ICMP or ICMPv6). */
    public static OptionalInt byName(Protocol protocol, String name) {
        Integer type = (protocol == Protocol.ICMPV6 ? IPV6 : IPV4).get(name);
        return type == null ? OptionalInt.empty() : OptionalInt.of(type);
    }
}
