package dev.rivet.linux.fs;

import dev.rivet.linux.Errno;
import dev.rivet.linux.GuestError;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.NotLinkException;
import java.util.Map;

/**
 * Translates host {@link IOException}s into guest errnos. The JDK only gives dedicated exception
 * types to a few errnos and reports the rest as a {@link FileSystemException} (or occasionally a
 * plain {@link IOException}) carrying the host's strerror text, so those are matched by message
 * (glibc's English wording).
 */
public final class HostErrors {
    private HostErrors() {}

    private static final Map<String, Integer> BY_REASON = Map.ofEntries(
            Map.entry("Operation not permitted", Errno.EPERM),
            Map.entry("No such file or directory", Errno.ENOENT),
            Map.entry("Permission denied", Errno.EACCES),
            Map.entry("File exists", Errno.EEXIST),
            Map.entry("Not a directory", Errno.ENOTDIR),
            Map.entry("Is a directory", Errno.EISDIR),
            Map.entry("Invalid argument", Errno.EINVAL),
            Map.entry("Too many open files", Errno.EMFILE),
            Map.entry("Text file busy", Errno.ETXTBSY),
            Map.entry("File too large", Errno.EFBIG),
            Map.entry("No space left on device", Errno.ENOSPC),
            Map.entry("Read-only file system", Errno.EROFS),
            Map.entry("Too many links", Errno.EMLINK),
            Map.entry("File name too long", Errno.ENAMETOOLONG),
            Map.entry("Directory not empty", Errno.ENOTEMPTY),
            Map.entry("Invalid cross-device link", Errno.EXDEV),
            Map.entry("Device or resource busy", Errno.EBUSY),
            Map.entry("No such device or address", Errno.ENXIO),
            Map.entry("No such device", Errno.ENODEV),
            Map.entry("Input/output error", Errno.EIO));

    /** The guest errno best describing {@code e}; EIO when nothing more specific is known. */
    public static int errno(IOException e) {
        if (e instanceof NoSuchFileException) return Errno.ENOENT;
        if (e instanceof AccessDeniedException) return Errno.EACCES;
        if (e instanceof FileAlreadyExistsException) return Errno.EEXIST;
        if (e instanceof NotDirectoryException) return Errno.ENOTDIR;
        if (e instanceof DirectoryNotEmptyException) return Errno.ENOTEMPTY;
        if (e instanceof NotLinkException) return Errno.EINVAL;
        if (e instanceof FileSystemLoopException) return Errno.ELOOP;
        // Some failures arrive as a bare IOException whose message is the reason: opening a symlink
        // with NOFOLLOW_LINKS gives "Too many levels of symbolic links (NOFOLLOW_LINKS specified)".
        String reason = e instanceof FileSystemException fse ? fse.getReason() : e.getMessage();
        if (reason == null) return Errno.EIO;
        // The JDK decorates ELOOP texts, so match on the prefix.
        if (reason.startsWith("Too many levels of symbolic links")) return Errno.ELOOP;
        Integer errno = BY_REASON.get(reason);
        return errno != null ? errno : Errno.EIO;
    }

    /** {@link #errno} wrapped in a {@link GuestError}, ready to throw. */
    public static GuestError toGuest(IOException e) {
        return new GuestError(errno(e));
    }
}
