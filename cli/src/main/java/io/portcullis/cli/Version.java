package io.portcullis.cli;

import picocli.CommandLine.IVersionProvider;

/** The version recorded in the jar's manifest, or "development" when run from classes. */
final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() {
        String version = Main.class.getPackage().getImplementationVersion();
        return new String[] {"portcullis " + (version == null ? "development" : version)};
    }
}
