package dev.rivet.cpu;

/** The kinds of memory access a translation is asked for. */
public enum Access {
    READ(Cause.LOAD_PAGE_FAULT, Cause.LOAD_ACCESS),
    WRITE(Cause.STORE_PAGE_FAULT, Cause.STORE_ACCESS),
    EXECUTE(Cause.FETCH_PAGE_FAULT, Cause.FETCH_ACCESS);

    /** The exception a missing or forbidding translation raises. */
    public final int pageFault;
    /** The exception an access to no memory at all raises. */
    public final int accessFault;

    Access(int pageFault, int accessFault) {
        this.pageFault = pageFault;
        this.accessFault = accessFault;
    }
}
