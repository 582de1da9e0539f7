package dev.rivet.linux;

import dev.rivet.linux.fs.GuestFileSystem;
import dev.rivet.linux.fs.GuestPaths;
import java.util.List;

/**
 * Lookup in the synthetic trees ({@link DevFiles}, {@link ProcFiles}) by canonical guest path.
 * Links met on the way are not resolved here: the caller starts a fresh lookup at the path a
 * {@link Redirect} names, which may lead back into the root's file system.
 */
final class VirtualFs {
    /** Outcome of {@link #lookup}. */
    sealed interface Result {}

    /** The path names this node. */
    record Found(VNode node) implements Result {}

    /** The path goes through a link: look up this absolute guest path instead. */
    record Redirect(String path) implements Result {}

    private final GuestFileSystem fs;
    private final ProcFiles proc;

    VirtualFs(Kernel kernel) {
        this.fs = kernel.fs;
        this.proc = new ProcFiles(kernel);
    }

    /**
     * Looks up canonical components.
     *
     * @param followFinal whether a link as last component is followed
     * @return null if the path is not in a synthetic tree
     * @throws GuestError ENOENT for a missing name inside one, ENOTDIR below a non-directory
     */
    Result lookup(GuestThread t, List<String> components, boolean followFinal) {
        if (components.isEmpty()) return null;
        VNode node = switch (components.getFirst()) {
            case "proc" -> proc.root(t);
            case "dev" -> DevFiles.lookup(fs, components);
            default -> null;
        };
        if (node == null) return null;
        // /dev/NAME was answered whole by DevFiles; /proc is walked component by component.
        int i = components.getFirst().equals("dev") ? Math.min(2, components.size()) : 1;
        for (; ; i++) {
            boolean last = i == components.size();
            if (node instanceof VNode.Link link && (!last || followFinal)) {
                if (last && link.file() != null) return new Found(new VNode.Descriptor(link.path(), link.file()));
                String target = link.follow() != null ? link.follow() : link.file().guestPath();
                List<String> rest = components.subList(i, components.size());
                return new Redirect(rest.isEmpty() ? target : target + "/" + String.join("/", rest));
            }
            if (last) return new Found(node);
            if (!(node instanceof VNode.Dir dir)) throw new GuestError(Errno.ENOTDIR);
            String name = components.get(i);
            node = dir.child().apply(name);
            if (node == null) throw new GuestError(Errno.ENOENT);
        }
    }

    /** Whether a canonical guest path lies where the synthetic trees may answer. */
    static boolean mayBeSynthetic(String canonical) {
        return canonical.equals("/proc") || canonical.startsWith("/proc/") || canonical.equals("/dev")
                || canonical.startsWith("/dev/");
    }

    static List<String> components(String canonical) {
        return GuestPaths.canonicalComponents(canonical);
    }
}
