/*
 * The CPU's time-stamp counter, for netprof's clock where the JVM does not read it itself (HotSpot reads it only
 * where it knows the counter's frequency, from an Intel brand string; elsewhere System.nanoTime() is a
 * clock_gettime, which after a system call costs several times what it does in a loop).
 *
 * rdtsc, not rdtscp or an lfence before it: like HotSpot's own reads, it may run a few instructions early. A
 * recorded read or write is timed around a system call of a microsecond or more.
 *
 * Plain C types rather than jni.h (a jlong is an int64_t, JNI's calling convention the platform's), so that the
 * build needs no JDK headers. Java loads it on x86-64 Linux only; elsewhere it builds to a function never called.
 */
#include <stdint.h>
#if defined(__x86_64__)
#include <x86intrin.h>
#endif

int64_t Java_dev_netprof_nativeprof_layer_TimeStampCounter_read(void *env, void *cls) {
    (void) env;
    (void) cls;
#if defined(__x86_64__)
    return (int64_t) __rdtsc();
#else
    return 0;
#endif
}
