package dev.rivet.board;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds a flattened device tree blob, version 17 (Devicetree Specification v0.4, chapter 5
 * "Flattened Devicetree (DTB) Format"): a 40-byte header, the memory reservation block, the
 * structure block of FDT_BEGIN_NODE / FDT_PROP / FDT_END_NODE / FDT_END tokens (big-endian, every
 * token 4-byte aligned) and the strings block, where each property name is stored once.
 * <p>
 * Nodes are written in order: {@link #beginNode} (the root first, named ""), its properties, its
 * children, {@link #endNode}. The writer checks what the format requires: properties before child
 * nodes, no property twice in a node, balanced nodes, a single root.
 */
public final class FdtWriter {
    public static final int MAGIC = 0xd00dfeed, VERSION = 17, LAST_COMPATIBLE_VERSION = 16;
    static final int FDT_BEGIN_NODE = 1, FDT_END_NODE = 2, FDT_PROP = 3, FDT_END = 9;
    private static final int HEADER_SIZE = 40;

    private final ByteArrayOutputStream struct = new ByteArrayOutputStream();
    private final ByteArrayOutputStream strings = new ByteArrayOutputStream();
    private final Map<String, Integer> stringOffsets = new HashMap<>();
    private final List<long[]> reservations = new ArrayList<>();
    /** The open nodes, innermost first. */
    private final Deque<OpenNode> open = new ArrayDeque<>();
    private boolean rootDone;
    private int nextPhandle = 1;
    private int bootCpu;

    /** Reserves {@code [address, address + size)} from the OS (memory reservation block). */
    public FdtWriter addReservation(long address, long size) {
        reservations.add(new long[] {address, size});
        return this;
    }

    /** The physical id of the CPU that boots ({@code boot_cpuid_phys} in the header). */
    public FdtWriter bootCpu(int id) {
        this.bootCpu = id;
        return this;
    }

    /** A fresh phandle (1, 2, ...), to be given to a node with {@link #phandle(int)}. */
    public int allocatePhandle() {
        return nextPhandle++;
    }

    /** Opens a node; {@code name} is "" for the root and "name" or "name@unit" below it. */
    public FdtWriter beginNode(String name) {
        if (open.isEmpty()) {
            if (rootDone || !name.isEmpty()) {
                throw new IllegalStateException(rootDone ? "the tree has one root" : "the root node is named \"\"");
            }
        } else {
            if (name.isEmpty() || name.indexOf('/') >= 0 || name.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("bad node name: \"" + name + "\"");
            }
            open.peek().hasChild = true; // no more properties for the parent
        }
        token(FDT_BEGIN_NODE);
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        struct.writeBytes(n);
        struct.write(0);
        pad();
        open.push(new OpenNode());
        return this;
    }

    /** Closes the innermost open node. */
    public FdtWriter endNode() {
        if (open.isEmpty()) {
            throw new IllegalStateException("no open node");
        }
        open.pop();
        token(FDT_END_NODE);
        if (open.isEmpty()) {
            rootDone = true;
        }
        return this;
    }

    /** A property with raw bytes as its value. */
    public FdtWriter property(String name, byte[] value) {
        OpenNode node = open.peek();
        if (node == null) {
            throw new IllegalStateException("property " + name + " outside any node");
        }
        if (node.hasChild) {
            throw new IllegalStateException("property " + name + " after a child node");
        }
        if (name.isEmpty() || name.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("bad property name: \"" + name + "\"");
        }
        if (!node.properties.add(name)) {
            throw new IllegalStateException("property " + name + " set twice");
        }
        token(FDT_PROP);
        token(value.length);
        token(stringOffset(name));
        struct.writeBytes(value);
        pad();
        return this;
    }

    /** A property with no value (a flag such as {@code interrupt-controller}). */
    public FdtWriter propertyEmpty(String name) {
        return property(name, new byte[0]);
    }

    /** A one-cell property. */
    public FdtWriter propertyU32(String name, int value) {
        return propertyU32s(name, value);
    }

    /** A property of 32-bit cells. */
    public FdtWriter propertyU32s(String name, int... cells) {
        ByteBuffer b = ByteBuffer.allocate(4 * cells.length);
        for (int c : cells) {
            b.putInt(c);
        }
        return property(name, b.array());
    }

    /** A 64-bit value as two cells, high first. */
    public FdtWriter propertyU64(String name, long value) {
        return propertyU64s(name, value);
    }

    /** 64-bit values, each as two cells (a {@code reg} with #address-cells = #size-cells = 2). */
    public FdtWriter propertyU64s(String name, long... values) {
        ByteBuffer b = ByteBuffer.allocate(8 * values.length);
        for (long v : values) {
            b.putLong(v);
        }
        return property(name, b.array());
    }

    /** A NUL-terminated string. */
    public FdtWriter propertyString(String name, String value) {
        return propertyStrings(name, value);
    }

    /** A string list: the strings one after another, each NUL-terminated. */
    public FdtWriter propertyStrings(String name, String... values) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (String s : values) {
            if (s.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("NUL inside a string of " + name);
            }
            b.writeBytes(s.getBytes(StandardCharsets.UTF_8));
            b.write(0);
        }
        return property(name, b.toByteArray());
    }

    /** The {@code phandle} property of the current node. */
    public FdtWriter phandle(int phandle) {
        return propertyU32("phandle", phandle);
    }

    /** Finishes the tree and returns the blob. */
    public byte[] finish() {
        if (!rootDone || !open.isEmpty()) {
            throw new IllegalStateException(open.isEmpty() ? "no root node" : open.size() + " node(s) still open");
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(struct.toByteArray());
        body.writeBytes(new byte[] {0, 0, 0, FDT_END});
        byte[] structBlock = body.toByteArray();
        byte[] stringsBlock = strings.toByteArray();

        int rsvOffset = HEADER_SIZE; // 8-byte aligned, as the block requires
        int structOffset = rsvOffset + 16 * (reservations.size() + 1);
        int stringsOffset = structOffset + structBlock.length;
        int total = stringsOffset + stringsBlock.length;
        ByteBuffer out = ByteBuffer.allocate(total); // big-endian, as every FDT field
        out.putInt(MAGIC).putInt(total).putInt(structOffset).putInt(stringsOffset).putInt(rsvOffset)
                .putInt(VERSION).putInt(LAST_COMPATIBLE_VERSION).putInt(bootCpu)
                .putInt(stringsBlock.length).putInt(structBlock.length);
        for (long[] r : reservations) {
            out.putLong(r[0]).putLong(r[1]);
        }
        out.putLong(0).putLong(0); // the block ends with an all-zero entry
        out.put(structBlock).put(stringsBlock);
        return out.array();
    }

    private static final class OpenNode {
        final Set<String> properties = new HashSet<>();
        boolean hasChild;
    }

    private int stringOffset(String name) {
        return stringOffsets.computeIfAbsent(name, n -> {
            int off = strings.size();
            strings.writeBytes(n.getBytes(StandardCharsets.UTF_8));
            strings.write(0);
            return off;
        });
    }

    private void token(int v) {
        struct.write(v >>> 24);
        struct.write(v >>> 16);
        struct.write(v >>> 8);
        struct.write(v);
    }

    private void pad() {
        while (struct.size() % 4 != 0) {
            struct.write(0);
        }
    }
}
