package dev.rivet.dev.block;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Opening disk images by format name, probing formats, and making overlays. */
public final class BlockImages {
    private BlockImages() { }

    /** "qcow2" if {@code p} starts with the qcow2 magic, else "raw". */
    public static String probe(Path p) throws IOException {
        try (InputStream in = Files.newInputStream(p)) {
            byte[] m = in.readNBytes(4);
            return m.length == 4 && (m[0] & 0xff) == 'Q' && m[1] == 'F' && m[2] == 'I' && (m[3] & 0xff) == 0xfb
                    ? "qcow2" : "raw";
        }
    }

    /** Opens {@code p} as {@code format} ("raw" or "qcow2"; null: probe). */
    public static BlockImage open(Path p, String format, boolean readOnly) throws IOException {
        if (!Files.isRegularFile(p)) throw new IOException("no such image file: " + p);
        String f = format != null ? format : probe(p);
        return switch (f) {
            case "raw" -> new RawImage(p, readOnly);
            case "qcow2" -> Qcow2Image.open(p, readOnly);
            default -> throw new IOException("unknown image format '" + f + "' (raw or qcow2)");
        };
    }

    /**
     * Opens {@code overlay}, a qcow2 image on top of {@code base} that takes every write so the base
     * stays untouched; made (with the base's absolute path as backing file) if it does not exist.
     */
    public static BlockImage overlay(Path base, String baseFormat, Path overlay) throws IOException {
        if (Files.exists(overlay)) return Qcow2Image.open(overlay, false);
        String f = baseFormat != null ? baseFormat : probe(base);
        long size;
        try (BlockImage b = open(base, f, true)) {
            size = b.size();
        }
        return Qcow2Image.create(overlay, size, base.toAbsolutePath().toString(), f);
    }
}
