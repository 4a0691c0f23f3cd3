package dev.netprof.instrument;

import java.util.List;

/** A JDK type netprof instruments, the family its events belong to, and its hooks. */
record InstrumentedType(String name, Family family, List<Hook> hooks) {
}
