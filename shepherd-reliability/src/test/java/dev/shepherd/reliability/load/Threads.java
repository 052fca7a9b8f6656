package dev.shepherd.reliability.load;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

/** Thread snapshots for leak checks. Thread-safe (stateless). */
final class Threads {

    /** JVM housekeeping threads that may start lazily during any test and are not owned by the code under test. */
    private static final Set<String> JVM_THREADS = Set.of("Common-Cleaner", "process reaper", "Attach Listener",
            "Keep-Alive-Timer", "surefire-forkedjvm-ping-30s", "surefire-forkedjvm-command-thread");

    private Threads() {
    }

    static Set<Thread> live() {
        Set<Thread> out = new HashSet<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.isAlive()) {
                out.add(t);
            }
        }
        return out;
    }

    /**
     * Threads alive now that were not alive in {@code before}, after giving unreachable clients a chance to be
     * collected (the JDK HTTP client's selector thread ends when its client is garbage) for up to {@code max}.
     */
    static Set<Thread> leakedSince(Set<Thread> before, Duration max) throws InterruptedException {
        long end = System.nanoTime() + max.toNanos();
        Set<Thread> leaked;
        do {
            System.gc();
            Thread.sleep(100);
            leaked = live();
            leaked.removeAll(before);
            leaked.removeIf(t -> JVM_THREADS.contains(t.getName()) || t.getName().startsWith("ForkJoinPool.commonPool"));
        } while (!leaked.isEmpty() && System.nanoTime() < end);
        return leaked;
    }
}
