package io.portcullis.agent;

import io.portcullis.agent.datapath.DatapathComponent;
import io.portcullis.config.AgentConfig;
import io.portcullis.config.Datapath;
import java.util.List;

/** The kernel datapath components a configuration asks for. */
final class Datapaths {
    private Datapaths() {
    }

    static List<DatapathComponent> forConfig(AgentConfig config) {
        if (config.datapath() == Datapath.NONE) {
            return List.of();
        }
        throw new IllegalArgumentException("datapath: " + config.datapath().name().toLowerCase()
                + " is not available in this build; set datapath: none and configure listeners");
    }
}
