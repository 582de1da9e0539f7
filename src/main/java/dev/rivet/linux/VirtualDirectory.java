package dev.rivet.linux;

import dev.rivet.linux.fs.DirentEncoder;
import dev.rivet.linux.fs.StatEncoder;
import java.util.List;

/** An open directory of the synthetic trees (/proc, /proc/PID/fd, a root without /dev...). */
final class VirtualDirectory extends DirectoryFile {
    private final VNode.Dir node;

    VirtualDirectory(VNode.Dir node, int flags) {
        super(node.path(), flags);
        this.node = node;
    }

    @Override
    protected List<DirentEncoder.Entry> list() {
        return node.entries().get();
    }

    @Override
    public byte[] stat() {
        return StatEncoder.stat(node.stat());
    }
}
