package dev.rivet.linux;

import java.nio.file.Path;

/** An open file with a host path behind it, so fchmod, futimens, fstatfs, fchdir can reach the host. */
interface HostBacked {
    /** The host path it was opened by (a memfd's is already deleted). */
    Path host();

    /** Whether it lies in a read-only mount: changes through it fail with EROFS. */
    boolean readOnlyMount();
}
