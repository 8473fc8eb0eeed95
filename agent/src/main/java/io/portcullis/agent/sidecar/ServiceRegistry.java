package io.portcullis.agent.sidecar;

import io.portcullis.agent.endpoint.Endpoint;
import io.portcullis.bpf.lb.LbBackend;
import io.portcullis.bpf.lb.LbService;
import io.portcullis.config.ServiceConfig;
import io.portcullis.policy.resolve.ServiceEntry;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Every service the agent keeps in the kernel, by name: those of the config (read-only) and those
 * created through the API (persisted in {@link ServiceStore}). After each change, and after each
 * view of the endpoints, the effective services (only the backends {@link BackendFilter} lets
 * through) go to {@code kernel} — the load balancer's maps, which apply them as a diff.
 *
 * <p>When an endpoint goes away, its address leaves the backends of the API's services for good
 * (a later endpoint given the same address is another workload), also when it went away while the
 * agent was stopped; the config's services keep theirs, unused until an endpoint holds the address
 * again.
 *
 * <p>A change reaches the kernel before it is saved and kept: when the kernel's maps do not take
 * it, the registry stays as it was.
 *
 * <p>Errors: {@link IllegalArgumentException} for a bad definition, {@link IllegalStateException}
 * for a conflict with what exists, {@link NoSuchElementException} for an unknown name,
 * {@link KernelSyncException} when the kernel's maps do not take a change.
 */
final class ServiceRegistry {
    private static final System.Logger LOG = System.getLogger(ServiceRegistry.class.getName());

    private final Map<String, Service> services = new TreeMap<>();
    private final ServiceStore store;
    private final BackendFilter filter;
    private final Consumer<List<LbService>> kernel;
    /** Live endpoint address to endpoint name, as of the last view; null before the first. */
    private Map<String, String> endpoints;

    ServiceRegistry(List<ServiceConfig> configured, ServiceStore store, BackendFilter filter,
                    Consumer<List<LbService>> kernel) throws IOException {
        this.store = store;
        this.filter = filter;
        this.kernel = kernel;
        for (ServiceConfig config : configured) {
            services.put(config.name(), Service.fromConfig(config));
        }
        boolean shadowed = false;
        for (Service stored : store.load()) {
            String conflict = conflict(stored.name(), stored.spec());
            if (conflict != null) {
                shadowed = true;
                LOG.log(System.Logger.Level.WARNING, "service " + stored.name() + " created through the API is dropped: "
                        + conflict);
            } else {
                services.put(stored.name(), stored);
            }
        }
        if (shadowed) {
            store.save(apiServices(services));
        }
    }

    /** Creates or replaces a service of the API in the default scope; true when it is new. */
    synchronized boolean put(String name, LbService spec) throws IOException {
        return put(name, spec, ServiceScope.DEFAULT);
    }

    /** Creates or replaces a service of the API; true when it is new. */
    synchronized boolean put(String name, LbService spec, ServiceScope scope) throws IOException {
        String nameProblem = ServiceConfig.nameProblem(name);
        if (nameProblem != null) {
            throw new IllegalArgumentException(nameProblem);
        }
        if (filter.inPool(spec.frontend().vip())) {
            throw new IllegalArgumentException("vip " + spec.frontend().vip().getHostAddress()
                    + " lies in the endpoint pool; a VIP must be an address no endpoint can have");
        }
        String conflict = conflict(name, spec);
        if (conflict != null) {
            throw new IllegalStateException(conflict);
        }
        Map<String, Service> next = new TreeMap<>(services);
        boolean created = next.put(name, new Service(name, spec, null, scope)) == null;
        commit(next, "service '" + name + "'");
        return created;
    }

    synchronized Service delete(String name) throws IOException {
        Service service = services.get(name);
        if (service == null) {
            throw new NoSuchElementException("no service named '" + name + "'");
        }
        if (service.fromConfig()) {
            throw new IllegalStateException(readOnly(service));
        }
        Map<String, Service> next = new TreeMap<>(services);
        next.remove(name);
        commit(next, "the removal of service '" + name + "'");
        return service;
    }

    /**
     * Makes {@code next} the services: the kernel first, then the store, then memory; a failure at
     * any step leaves all three as they were.
     *
     * @throws KernelSyncException when the kernel's maps do not take {@code next}
     * @throws IOException         when the store cannot be written (the kernel is put back)
     */
    private void commit(Map<String, Service> next, String change) throws IOException {
        push(next, endpoints, change);
        try {
            store.save(apiServices(next));
        } catch (IOException e) {
            restoreKernel(e);
            throw e;
        }
        services.clear();
        services.putAll(next);
    }

    /** Every service as policies' {@code toServices} see it. */
    synchronized List<ServiceEntry> policyEntries() {
        List<ServiceEntry> entries = new ArrayList<>();
        for (Service service : services.values()) {
            entries.add(service.policyEntry());
        }
        return entries;
    }

    /** Every service in name order, with all its backends. */
    synchronized List<Service> list() {
        return new ArrayList<>(services.values());
    }

    /** Why the backend is not in the kernel, or null when it is. */
    synchronized String inactiveReason(LbBackend backend) {
        return filter.inactiveReason(backend, liveAddresses());
    }

    /**
     * The live endpoints now: the addresses of endpoints that went away since the last call leave
     * the API's services (saved, logged once per service), then the kernel is brought up to date.
     * On the first call, the API's services lose every pool address no live endpoint holds: their
     * endpoints went away while the agent was not running, and a later endpoint given the same
     * address is another workload. When the kernel does not take the result, nothing changes and
     * the next call tries again.
     *
     * @throws KernelSyncException when the kernel's maps do not take the services
     */
    synchronized void endpointsChanged(List<Endpoint> live) {
        Map<String, String> now = new HashMap<>();
        for (Endpoint endpoint : live) {
            now.put(endpoint.ip(), endpoint.name());
        }
        Map<String, Service> next = new TreeMap<>(services);
        List<String> messages = prune(next, now);
        push(next, now, "the services for the endpoints now live");
        services.clear();
        services.putAll(next);
        endpoints = now;
        if (messages.isEmpty()) {
            return;
        }
        messages.forEach(message -> LOG.log(System.Logger.Level.INFO, message));
        try {
            store.save(apiServices(services));
        } catch (IOException e) {
            LOG.log(System.Logger.Level.ERROR, "cannot save " + store.file() + " (" + e.getMessage() + "): after a "
                    + "restart the removed backends are listed again, then removed again");
        }
    }

    /**
     * Removes from the API's services in {@code next} the backends whose endpoint is gone: since
     * the last view, or (on the first view) any pool address no endpoint in {@code now} holds.
     * Returns one log line per service changed.
     */
    private List<String> prune(Map<String, Service> next, Map<String, String> now) {
        boolean firstView = endpoints == null;
        List<String> messages = new ArrayList<>();
        for (Service service : List.copyOf(next.values())) {
            if (service.fromConfig()) {
                continue;
            }
            List<LbBackend> kept = new ArrayList<>();
            List<String> removed = new ArrayList<>();
            Set<String> owners = new LinkedHashSet<>();
            for (LbBackend backend : service.spec().backends()) {
                String ip = backend.address().getHostAddress();
                boolean gone = firstView ? filter.inPool(backend.address()) && !now.containsKey(ip)
                        : endpoints.containsKey(ip) && !now.containsKey(ip);
                if (gone) {
                    removed.add(backend.toString());
                    if (!firstView) {
                        owners.add(endpoints.get(ip));
                    }
                } else {
                    kept.add(backend);
                }
            }
            if (!removed.isEmpty()) {
                next.put(service.name(), service.withBackends(kept));
                String why = firstView ? "removed: no endpoint held " + (removed.size() == 1 ? "its address" : "their "
                        + "addresses") + " when the agent started"
                        : "removed with endpoint" + (owners.size() == 1 ? " " : "s ") + String.join(", ", owners);
                messages.add("service " + service.name() + ": backend" + (removed.size() == 1 ? " " : "s ")
                        + String.join(", ", removed) + " " + why);
            }
        }
        return messages;
    }

    /**
     * Hands {@code next} to the kernel as it is to hold them with {@code live} endpoints. Nothing
     * reaches the kernel before the first view: without endpoints every pool backend would look gone.
     */
    private void push(Map<String, Service> next, Map<String, String> live, String change) {
        if (live == null) {
            return;
        }
        try {
            kernel.accept(effective(next, live.keySet()));
        } catch (KernelSyncException e) {
            throw e;
        } catch (RuntimeException e) {
            KernelSyncException failure = KernelSyncException.of(change, e);
            restoreKernel(failure);
            throw failure;
        }
    }

    /** After a failed change: the kernel back to the services kept (a sync may stop half-way). */
    private void restoreKernel(Exception failure) {
        if (endpoints == null) {
            return;
        }
        try {
            kernel.accept(effective(services, endpoints.keySet()));
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
            LOG.log(System.Logger.Level.ERROR, "cannot put the kernel's service maps back after a failed change ("
                    + e.getMessage() + "): they may hold part of it until the next change of the endpoints");
        }
    }

    private List<LbService> effective(Map<String, Service> of, Set<String> live) {
        List<LbService> effective = new ArrayList<>();
        for (Service service : of.values()) {
            effective.add(filter.effective(service.spec(), live));
        }
        return effective;
    }

    private Set<String> liveAddresses() {
        return endpoints == null ? Set.of() : endpoints.keySet();
    }

    /** Why {@code name} cannot take {@code spec} next to the other services, or null when it can. */
    private String conflict(String name, LbService spec) {
        Service existing = services.get(name);
        if (existing != null && existing.fromConfig()) {
            return readOnly(existing);
        }
        for (Service other : services.values()) {
            if (!other.name().equals(name) && other.spec().frontend().equals(spec.frontend())) {
                return "frontend " + spec.frontend() + " already belongs to service '" + other.name() + "'";
            }
        }
        return null;
    }

    private static String readOnly(Service service) {
        return "service '" + service.name() + "' is defined in the agent config at " + service.configLocation()
                + "; change it there and restart the agent";
    }

    private static List<Service> apiServices(Map<String, Service> services) {
        List<Service> api = new ArrayList<>();
        for (Service service : services.values()) {
            if (!service.fromConfig()) {
                api.add(service);
            }
        }
        return api;
    }
}
