package io.qwen3vl.cli;

import picocli.CommandLine.IVersionProvider;

/** Version from the jar manifest (the Maven project version), "dev" when run from classes. */
final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = Main.class.getPackage().getImplementationVersion();
        return new String[] {"qwen3vl " + (v == null ? "dev" : v)};
    }
}
