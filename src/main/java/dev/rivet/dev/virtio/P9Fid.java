package dev.rivet.dev.virtio;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.util.List;

/**
 * A 9P fid: a canonical path inside the share ("/" is the share's root) and, once opened, the host
 * file or a snapshot of the directory listing.
 */
final class P9Fid {
    /** One directory entry for Treaddir: name, qid and DT_* type. */
    record Entry(String name, P9Server.Qid qid, int type) { }

    String path;
    final int uid;
    FileChannel file;
    boolean append;
    boolean openDir;
    List<Entry> listing;

    P9Fid(String path, int uid) {
        this.path = path;
        this.uid = uid;
    }

    boolean opened() {
        return file != null || openDir;
    }

    void close() {
        if (file != null) {
            try {
                file.close();
            } catch (IOException ignored) {
                // closing cannot fail in a way the guest could act on
            }
            file = null;
        }
        openDir = false;
        listing = null;
    }
}
