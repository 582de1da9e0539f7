package dev.rivet.linux;

import dev.rivet.linux.fs.DirentEncoder;
import dev.rivet.linux.fs.FileStat;
import dev.rivet.linux.fs.GuestFileSystem;
import dev.rivet.linux.fs.HostErrors;
import dev.rivet.linux.fs.Resolved;
import dev.rivet.linux.fs.StatEncoder;
import java.io.IOException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.Path;
import java.util.List;

/** A directory of the root or a mount, opened by the guest (listing via {@link DirentEncoder}). */
final class HostDirectory extends DirectoryFile implements HostBacked {
    private final GuestFileSystem fs;
    private final Resolved resolved;

    HostDirectory(GuestFileSystem fs, Resolved resolved, int flags) {
        super(resolved.guestPath(), flags);
        this.fs = fs;
        this.resolved = resolved;
    }

    @Override
    public Path host() {
        return resolved.host();
    }

    @Override
    public boolean readOnlyMount() {
        return resolved.readOnly();
    }

    @Override
    protected List<DirentEncoder.Entry> list() {
        try {
            return DirentEncoder.list(fs, resolved);
        } catch (DirectoryIteratorException e) {
            // The host failed part way through reading the directory.
            throw HostErrors.toGuest(e.getCause());
        }
    }

    @Override
    public byte[] stat() {
        try {
            return StatEncoder.stat(FileStat.ofHost(resolved.host()));
        } catch (IOException e) {
            throw HostErrors.toGuest(e);
        }
    }
}
