package dev.netprof.flush;

/** What the log's header block says about the recording. */
public record RecordingHeader(long pid, long startedEpochMs, String netprofVersion, String options, String jvm) {
}
