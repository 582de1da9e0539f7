package dev.rivet.linux;

/** The user and group a guest process runs as (it sees the host user's ids; it cannot change them). */
public record Credentials(int uid, int gid) {
    /** The ids of the host user running Rivet. */
    public static Credentials ofHostUser() {
        try {
            var unix = new com.sun.security.auth.module.UnixSystem();
            return new Credentials((int) unix.getUid(), (int) unix.getGid());
        } catch (LinkageError | RuntimeException e) {
            return new Credentials(1000, 1000);
        }
    }
}
