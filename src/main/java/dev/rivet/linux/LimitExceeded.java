package dev.rivet.linux;

/** A sandbox limit (instructions, memory, time) was reached: the whole guest ends with {@link #status}. */
public final class LimitExceeded extends RuntimeException {
    public static final int STATUS_TIMEOUT = 124;
    public static final int STATUS_INSTRUCTIONS = 123;
    public static final int STATUS_MEMORY = 122;

    public final int status;

    public LimitExceeded(String message, int status) {
        super(message, null, false, false);
        this.status = status;
    }
}
