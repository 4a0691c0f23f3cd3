package dev.netprof.record;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What netprof keeps about an application's object for a while (a handshake's start, an exchange in flight, a
 * connection already recorded), by the object's identity and holding it weakly: an object the application drops takes
 * its entry with it at a later call. A ConcurrentHashMap, not a synchronized WeakHashMap: the application's threads
 * that reach it (an HTTP client's I/O reactor asks on every future it completes, exchange or not) share no monitor.
 */
final class WeakIdentityMap<V> {
    private final ConcurrentHashMap<Key, V> map = new ConcurrentHashMap<>();
    private final ReferenceQueue<Object> dropped = new ReferenceQueue<>();

    /** Returns the value {@code key} had, or null. */
    V put(Object key, V value) {
        forgetDropped();
        return map.put(new Key(key, dropped), value);
    }

    V get(Object key) {
        return map.get(new Key(key, null));
    }

    V remove(Object key) {
        forgetDropped();
        return map.remove(new Key(key, null));
    }

    int size() {
        return map.size();
    }

    private void forgetDropped() {
        for (Object k; (k = dropped.poll()) != null; ) {
            map.remove(k);
        }
    }

    /** Equal to another key for the same object; a dropped key only to itself (so that it can be removed). */
    private static final class Key extends WeakReference<Object> {
        private final int hash;

        Key(Object referent, ReferenceQueue<Object> queue) {
            super(referent, queue);
            hash = System.identityHashCode(referent);
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object o) {
            if (this == o) {
                return true;
            }
            Object referent = get();
            return o instanceof Key k && k.hash == hash && referent != null && k.refersTo(referent);
        }
    }
}
