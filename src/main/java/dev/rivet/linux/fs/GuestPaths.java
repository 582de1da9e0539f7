package dev.rivet.linux.fs;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Purely lexical helpers for guest path strings. Nothing here touches the host file system; symlink
 * semantics live in {@link GuestFileSystem}. A "canonical" guest path is absolute, has no empty,
 * {@code .} or {@code ..} components and no trailing slash (except the root {@code /}).
 */
public final class GuestPaths {
    private GuestPaths() {}

    /** Linux PATH_MAX, counting the terminating NUL: a path of this many bytes is already too long. */
    public static final int PATH_MAX = 4096;
    /** Linux NAME_MAX: the longest single component, in bytes. */
    public static final int NAME_MAX = 255;

    /** The components of {@code path}, keeping {@code .} and {@code ..} but dropping empty ones. */
    public static List<String> split(String path) {
        List<String> out = new ArrayList<>();
        int start = 0, n = path.length();
        while (start < n) {
            int slash = path.indexOf('/', start);
            int end = slash < 0 ? n : slash;
            if (end > start) out.add(path.substring(start, end));
            start = end + 1;
        }
        return out;
    }

    /**
     * Lexically canonicalizes {@code path} as an absolute path: a relative path is taken relative to
     * the root, {@code ..} at the root stays there. Only valid for paths already free of symlinks,
     * such as a working directory recorded after resolution.
     */
    public static List<String> canonicalComponents(String path) {
        List<String> out = new ArrayList<>();
        for (String c : split(path)) {
            if (c.equals(".")) continue;
            if (c.equals("..")) {
                if (!out.isEmpty()) out.removeLast();
            } else {
                out.add(c);
            }
        }
        return out;
    }

    /** {@link #canonicalComponents} joined back into a string. */
    public static String canonicalize(String path) {
        return join(canonicalComponents(path));
    }

    /** Joins components into an absolute guest path; no components gives {@code /}. */
    public static String join(List<String> components) {
        if (components.isEmpty()) return "/";
        StringBuilder sb = new StringBuilder();
        for (String c : components) sb.append('/').append(c);
        return sb.toString();
    }

    /** The parent of a canonical guest path; the root is its own parent, as with {@code /..}. */
    public static String parent(String canonical) {
        int slash = canonical.lastIndexOf('/');
        return slash <= 0 ? "/" : canonical.substring(0, slash);
    }

    /** The last component of a canonical guest path, or {@code /} for the root. */
    public static String name(String canonical) {
        return canonical.equals("/") ? "/" : canonical.substring(canonical.lastIndexOf('/') + 1);
    }

    /** Length in bytes as the guest sees it (guest strings are UTF-8 decoded by convention). */
    public static int byteLength(String s) {
        // Fast path: pure ASCII strings are the overwhelming majority.
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) return s.getBytes(StandardCharsets.UTF_8).length;
        }
        return s.length();
    }
}
