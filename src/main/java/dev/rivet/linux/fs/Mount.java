package dev.rivet.linux.fs;

import java.nio.file.Path;
import java.util.List;

/**
 * One {@code --mount HOST:GUEST[:ro]} binding: a host directory or file shown at a guest path.
 *
 * @param host     the host directory or file; {@link GuestFileSystem} canonicalizes it with
 *                 {@link Path#toRealPath} so a mount never points through a host symlink
 * @param guest    canonical absolute guest path where it appears
 * @param readOnly writes through this mount fail with EROFS
 */
public record Mount(Path host, String guest, boolean readOnly) {
    public Mount {
        if (!guest.startsWith("/")) throw new IllegalArgumentException("mount guest path must be absolute: " + guest);
        guest = GuestPaths.canonicalize(guest);
    }

    /**
     * Parses {@code HOST:GUEST}, {@code HOST:GUEST:ro} or {@code HOST:GUEST:rw}. The guest path is the
     * text after the last remaining colon, so host paths may themselves contain colons.
     */
    public static Mount parse(String spec) {
        boolean ro = false;
        String s = spec;
        if (s.endsWith(":ro")) {
            ro = true;
            s = s.substring(0, s.length() - 3);
        } else if (s.endsWith(":rw")) {
            s = s.substring(0, s.length() - 3);
        }
        int colon = s.lastIndexOf(':');
        if (colon <= 0 || colon == s.length() - 1) {
            throw new IllegalArgumentException("mount must be HOST:GUEST[:ro], got: " + spec);
        }
        return new Mount(Path.of(s.substring(0, colon)), s.substring(colon + 1), ro);
    }

    /** Components of {@link #guest}, used for longest-prefix matching. */
    List<String> guestComponents() {
        return GuestPaths.split(guest);
    }
}
