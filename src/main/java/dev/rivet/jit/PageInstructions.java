package dev.rivet.jit;

import static dev.rivet.cpu.Op.ILLEGAL;
import static dev.rivet.cpu.Op.UNDECODED;

import dev.rivet.cpu.Decoder;
import dev.rivet.cpu.Insn;
import dev.rivet.mem.Page;

/**
 * The instructions of one page as a translation reads them: the page's bytes copied once, each
 * instruction decoded once, however many times the translator walks the page (a covering
 * translation builds a region of it a dozen times while it chooses starts and limits). A guest
 * store to the page meanwhile drops the page's code version, and with it what the translation
 * makes (see {@link PageTranslator}), so a copy serves as well as the page itself.
 *
 * <p>It may hold the page that follows in the hart's address space too ({@link #next}): offsets
 * from {@link Page#SIZE} on are that page's, so a loop that crosses the end of its page is
 * translated whole (see {@link CompiledRegion#nextPage}). Entries stay on the first page.
 */
final class PageInstructions {
    private final byte[] bytes;
    /** Decoded instructions by halfword offset; {@link dev.rivet.cpu.Op#UNDECODED} (0) until decoded. */
    private final long[] decoded;
    /** The page whose bytes follow the first page's, and its code version when they were copied; or null. */
    final Page next;
    final Object nextVersion;

    /** The instructions of {@code bytes}, a page's contents ({@link Page#SIZE} bytes). */
    PageInstructions(byte[] bytes) {
        this(bytes, null, null);
    }

    private PageInstructions(byte[] bytes, Page next, Object nextVersion) {
        int expected = next == null ? Page.SIZE : 2 * Page.SIZE;
        if (bytes.length != expected) throw new IllegalArgumentException("expected " + expected + " bytes, not " + bytes.length);
        this.bytes = bytes;
        this.decoded = new long[bytes.length / 2];
        this.next = next;
        this.nextVersion = nextVersion;
    }

    /** The instructions of {@code page} as it is now. */
    static PageInstructions of(Page page) {
        return of(page, null, null);
    }

    /**
     * The instructions of {@code page} and, unless {@code next} is null, of {@code next} after
     * it, as they are now; {@code nextVersion} is the code version of {@code next} read before
     * its bytes (a store since then has changed the version, see {@link CompiledRegion#nextPage}).
     */
    static PageInstructions of(Page page, Page next, Object nextVersion) {
        byte[] copy = new byte[next == null ? Page.SIZE : 2 * Page.SIZE];
        page.copyOut(0, copy, 0, Page.SIZE);
        if (next != null) next.copyOut(0, copy, Page.SIZE, Page.SIZE);
        return new PageInstructions(copy, next, nextVersion);
    }

    /** How many bytes of code it holds: offsets below this are instructions a region may take in. */
    int size() {
        return bytes.length;
    }

    /** The instruction at byte offset {@code off}, or an ILLEGAL marker when it crosses the end of what is held. */
    long at(int off) {
        long d = decoded[off >>> 1];
        if (Insn.op(d) == UNDECODED) {
            // Bytes assembled by hand: a byte-array view's var handle runs slowly in a cold JVM,
            // where the first translations are made.
            int low = bytes[off] & 0xff | (bytes[off + 1] & 0xff) << 8;
            if (Decoder.isCompressed(low)) {
                d = Decoder.decode(low);
            } else if (off > bytes.length - 4) {
                d = illegal();
            } else {
                d = Decoder.decode(low | (bytes[off + 2] & 0xff) << 16 | (bytes[off + 3] & 0xff) << 24);
            }
            decoded[off >>> 1] = d;
        }
        return d;
    }

    /** The instruction at {@code off} of {@code page} as it is now, read alone: as {@link #at}. */
    static long decode(Page page, int off) {
        int low = (int) page.read(off, 2);
        if (Decoder.isCompressed(low)) return Decoder.decode(low);
        if (off > Page.SIZE - 4) return illegal();
        return Decoder.decode((int) page.read(off, 4));
    }

    private static long illegal() {
        return Insn.pack(ILLEGAL, 0, 0, 0, 0, 0, false);
    }
}
