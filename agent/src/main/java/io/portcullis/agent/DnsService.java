package io.portcullis.agent;

import io.portcullis.agent.dns.DnsCounters;
import io.portcullis.agent.dns.DnsExchange;
import io.portcullis.agent.dns.DnsLearner;
import io.portcullis.agent.dns.DnsProxy;
import io.portcullis.agent.dns.DnsRules;
import io.portcullis.agent.dns.DnsVerdict;
import io.portcullis.agent.dns.FqdnCache;
import io.portcullis.bpf.BpfFs;
import io.portcullis.config.DnsProxyConfig;
import io.portcullis.policy.identity.Identity;
import io.portcullis.policy.identity.IdentityAllocator;
import io.portcullis.policy.model.FqdnSelector;
import io.portcullis.policy.model.Policy;
import io.portcullis.policy.model.Protocol;
import io.portcullis.policy.net.Ipv4Cidr;
import io.portcullis.policy.resolve.CompiledConnectionRules;
import io.portcullis.policy.resolve.DirectionResult;
import io.portcullis.policy.resolve.L4Verdict;
import io.portcullis.policy.resolve.L7RuleSet;
import io.portcullis.redirect.OriginalDestinations;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The agent's side of the DNS proxy: judges queries by the current policy state, learns allowed
 * answers into the {@link FqdnCache} and republishes the node state (ipcache and policy maps)
 * before the answer is released, expires learned addresses once a second, and lists what was
 * learned for {@code portcullis fqdn cache list}.
 */
final class DnsService implements DnsRules, DnsLearner, AutoCloseable {
    private static final System.Logger LOG = System.getLogger(DnsService.class.getName());

    private final FqdnCache cache;
    private final NodeState node;
    private final IdentityAllocator identities;
    private final Runnable nodeChanged;
    private final DnsCounters counters = new DnsCounters();
    private final AtomicLong learnings = new AtomicLong();
    private final AtomicLong lastLearnNanos = new AtomicLong();
    private final ScheduledExecutorService expiry = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "fqdn-expiry");
        thread.setDaemon(true);
        return thread;
    });
    private OriginalDestinations origins;
    private DnsProxy proxy;

    /** @param nodeChanged republishes the node state and returns once the datapath (and the proxy) hold it */
    DnsService(FqdnCache cache, NodeState node, IdentityAllocator identities, Runnable nodeChanged) {
        this.cache = cache;
        this.node = node;
        this.identities = identities;
        this.nodeChanged = nodeChanged;
    }

    /** Serves DNS on the proxy address and starts expiring learned addresses. */
    void start(DnsProxyConfig config, Inet4Address address, Consumer<Map<String, Object>> log) throws IOException {
        origins = OriginalDestinations.open(BpfFs.PIN_ROOT);
        DnsExchange exchange = new DnsExchange(this, this, counters, log, config.upstreamTimeout());
        proxy = DnsProxy.start(new InetSocketAddress(address, config.port()), exchange, counters, origins::peek,
                origins::take);
        expiry.scheduleWithFixedDelay(this::expire, 1, 1, TimeUnit.SECONDS);
    }

    @Override
    public DnsVerdict judge(int sourceIdentity, Inet4Address resolver, int port, Protocol protocol, String name) {
        PolicyState state = node.current();
        Optional<Identity> source = identities.byId(sourceIdentity);
        if (source.isEmpty()) {
            return new DnsVerdict(false, null, "the querying identity " + sourceIdentity + " is unknown");
        }
        Identity peer = state.ipCache().lookup(resolver.getHostAddress()).identity();
        CompiledConnectionRules rules = state.snapshot().connection(source.get(), peer, port, protocol);
        DirectionResult egress = rules.egress();
        if (rules.l4() == L4Verdict.DENIED) {
            return new DnsVerdict(false, egress.policy(), rules.connectionDecision().reason());
        }
        if (!egress.judgesDns()) {
            return new DnsVerdict(true, egress.policy(), "no DNS rule applies: " + egress.reason());
        }
        for (L7RuleSet set : egress.l7()) {
            FqdnSelector allowing = set.allowingLookup(name);
            if (allowing != null) {
                return new DnsVerdict(true, set.policy(), "allowed by policy \"" + set.policy() + "\" " + set.path()
                        + ".rules.dns " + allowing);
            }
        }
        return new DnsVerdict(false, egress.policy(), "no DNS rule of " + egress.l7().stream()
                .map(set -> "policy \"" + set.policy() + "\" " + set.path()).toList() + " allows " + name);
    }

    @Override
    public void learn(Map<String, Map<Ipv4Cidr, Long>> addresses) {
        long start = System.nanoTime();
        Set<FqdnSelector> selectors = Policy.fqdnSelectors(node.current().snapshot().policies());
        boolean changed = false;
        try {
            for (Map.Entry<String, Map<Ipv4Cidr, Long>> name : addresses.entrySet()) {
                if (selectors.stream().anyMatch(selector -> selector.matches(name.getKey()))) {
                    changed |= cache.learn(name.getKey(), name.getValue(), System.currentTimeMillis());
                }
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.ERROR, "cannot save learned names: " + e.getMessage());
        }
        if (changed) {
            nodeChanged.run();
            learnings.incrementAndGet();
            lastLearnNanos.set(System.nanoTime() - start);
        }
    }

    private void expire() {
        try {
            if (cache.expire(System.currentTimeMillis())) {
                nodeChanged.run();
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "expiring learned names: " + e.getMessage(), e);
        }
    }

    /** Each learned (name, address): seconds of validity left (negative: in its grace period), and the selectors. */
    List<Map<String, Object>> list() {
        long now = System.currentTimeMillis();
        Set<FqdnSelector> selectors = Policy.fqdnSelectors(node.current().snapshot().policies());
        List<Map<String, Object>> rows = new ArrayList<>();
        for (FqdnCache.Learned learned : cache.entries()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("name", learned.name());
            row.put("address", Ipv4Cidr.formatAddress(learned.address().address()));
            row.put("ttlLeft", Math.floorDiv(learned.expiresAt() - now, 1000));
            row.put("selectors", selectors.stream().filter(s -> s.matches(learned.name())).map(Object::toString)
                    .toList());
            rows.add(row);
        }
        return rows;
    }

    /** For {@code status}: the proxy's counters, the learned names, what the caps refused, the last learning's time. */
    Map<String, Object> status() {
        Map<String, Object> status = new LinkedHashMap<>(counters.snapshot());
        status.put("names", cache.nameCount());
        status.put("capped", cache.capped());
        status.put("learnings", learnings.get());
        status.put("lastLearnMicros", lastLearnNanos.get() / 1000);
        return status;
    }

    @Override
    public void close() {
        expiry.shutdownNow();
        if (proxy != null) {
            proxy.close();
        }
        if (origins != null) {
            origins.close();
        }
    }
}
