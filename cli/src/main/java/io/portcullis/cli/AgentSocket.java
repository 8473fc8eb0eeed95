package io.portcullis.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --socket} option of every command that talks to the running agent. */
final class AgentSocket {
    @Option(names = "--socket", paramLabel = "PATH", defaultValue = "${env:PORTCULLIS_SOCKET:-/run/portcullis/agent.sock}",
            description = "the agent's API socket (default: $PORTCULLIS_SOCKET or ${DEFAULT-VALUE})")
    Path socket;

    ApiClient client() {
        return new ApiClient(socket);
    }
}
