package io.portcullis.cli;

import picocli.CommandLine.Parameters;

/** {@code ... delete NAME}: one DELETE of {@code /v1/<collection>/NAME} on the running agent. */
abstract class NamedDeleteCommand extends ApiCommand {
    @Parameters(paramLabel = "NAME")
    String name;

    /** The API collection the name is in: {@code endpoints}, {@code policies}, {@code services}. */
    abstract String collection();

    @Override
    ApiClient.Reply call(ApiClient client) throws Exception {
        return client.call("DELETE", "/v1/" + collection() + "/" + name, new byte[0]);
    }
}
