package dev.rivet.cli;

/** The values of an on/off option such as {@code --jit}. */
enum OnOff {
    on,
    off
}
