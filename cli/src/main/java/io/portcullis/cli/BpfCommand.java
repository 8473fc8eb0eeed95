package io.portcullis.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import picocli.CommandLine.Command;

/**
 * {@code bpf policy|ipcache|ct|lb|sockmap|drops list}: the live BPF maps as the kernel holds
 * them, read by the agent from bpffs.
 */
@Command(name = "bpf", mixinStandardHelpOptions = true, description = "Inspect the live BPF maps.",
        subcommands = {BpfCommand.Policy.class, BpfCommand.Ipcache.class, BpfCommand.Ct.class, BpfCommand.Lb.class,
                BpfCommand.Sockmap.class, BpfCommand.Drops.class})
final class BpfCommand {
    private BpfCommand() {
    }

    /** One {@code list} command: GET the map's rows and print them as a table or JSON. */
    abstract static class MapList extends ApiCommand {
        abstract String map();

        abstract String whenEmpty();

        @Override
        ApiClient.Reply call(ApiClient client) throws Exception {
            return client.get("/v1/bpf/" + map());
        }

        @Override
        void printText(JsonNode rows, PrintWriter out) {
            Table.print(out, rows, whenEmpty());
        }
    }

    @Command(name = "policy", description = "L3/L4 policy entries.", subcommands = PolicyList.class)
    static final class Policy {
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the policy map.")
    static final class PolicyList extends MapList {
        String map() {
            return "policy";
        }

        String whenEmpty() {
            return "no policy entries";
        }
    }

    @Command(name = "ipcache", description = "Prefix to identity mappings.", subcommands = IpcacheList.class)
    static final class Ipcache {
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the ipcache.")
    static final class IpcacheList extends MapList {
        String map() {
            return "ipcache";
        }

        String whenEmpty() {
            return "no ipcache entries";
        }
    }

    @Command(name = "ct", description = "Connection tracking.", subcommands = CtList.class)
    static final class Ct {
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List live tracked flows.")
    static final class CtList extends MapList {
        String map() {
            return "ct";
        }

        String whenEmpty() {
            return "no tracked flows";
        }
    }

    @Command(name = "lb", description = "Service load balancing.", subcommands = LbList.class)
    static final class Lb {
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "List the kernel's service frontends and backends, with their ids.")
    static final class LbList extends MapList {
        String map() {
            return "lb";
        }

        String whenEmpty() {
            return "no service frontends in the kernel (create one with 'portcullis service create')";
        }
    }

    @Command(name = "sockmap", description = "Paired local sockets.", subcommands = SockmapList.class)
    static final class Sockmap {
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the sockhash.")
    static final class SockmapList extends MapList {
        String map() {
            return "sockmap";
        }

        String whenEmpty() {
            return "no paired sockets";
        }
    }

    @Command(name = "drops", description = "Datapath drops by reason.", subcommands = DropsList.class)
    static final class Drops {
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List drop counters.")
    static final class DropsList extends MapList {
        String map() {
            return "drops";
        }

        String whenEmpty() {
            return "no datapath loaded";
        }
    }
}
