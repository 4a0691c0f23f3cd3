package dev.netprof.record;

import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * TLS 1.3 client handshakes that finished on this side but that the server has not answered yet, each with its record
 * already built. A TLS 1.3 client finishes ({@code TransportContext.finishHandshake}) as soon as it has sent its
 * Finished; the server checks that Finished, and the client's certificate if it asked for one, only then, and a
 * rejection comes back as a fatal alert in place of the server's first record. So the client's record waits here until
 * that first record: a fatal alert writes it failed, any other record ok. A close of either direction, the collection
 * of its TransportContext, or the end of the recording before any record came writes it ok: nothing the JDK processed
 * said otherwise. Writing each record once, when its outcome is known, keeps the log append-only and counts each
 * handshake once.
 *
 * <p>Concurrency: any thread may hold and take. Whoever removes a record from {@link #held} writes it, so each is
 * written exactly once.
 */
final class UnansweredHandshakes {
    /** A held record; cleared, and queued on {@link #collected}, when its TransportContext is collected. */
    private static final class Held extends WeakReference<Object> {
        final Catalog.TlsInfo info;

        Held(Object tc, Catalog.TlsInfo info, ReferenceQueue<Object> collected) {
            super(tc, collected);
            this.info = info;
        }
    }

    private final WeakIdentityMap<Held> byContext = new WeakIdentityMap<>();
    private final Set<Held> held = ConcurrentHashMap.newKeySet();
    private final ReferenceQueue<Object> collected = new ReferenceQueue<>();

    void hold(Object tc, Catalog.TlsInfo info) {
        Held h = new Held(tc, info, collected);
        held.add(h);
        byContext.put(tc, h);
    }

    /** Asked for every TLS record received: the emptiness test spares the lookup's allocation when nothing is held. */
    boolean holds(Object tc) {
        return !held.isEmpty() && byContext.get(tc) != null;
    }

    /** The record held for {@code tc}, now the caller's to write, or null. */
    Catalog.TlsInfo take(Object tc) {
        Held h = byContext.remove(tc);
        return h != null && held.remove(h) ? h.info : null;
    }

    /** A record whose TransportContext was collected, now the caller's to write, or null. */
    Catalog.TlsInfo takeCollected() {
        for (Reference<?> r; (r = collected.poll()) != null; ) {
            if (held.remove(r)) {
                return ((Held) r).info;
            }
        }
        return null;
    }

    /** Any held record, now the caller's to write, or null: the recording ends. */
    Catalog.TlsInfo takeAny() {
        for (Held h : held) {
            if (held.remove(h)) {
                return h.info;
            }
        }
        return null;
    }
}
