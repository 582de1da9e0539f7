package dev.rivet.linux.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.rivet.linux.Errno;
import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real host failures, so the mapping tracks what the JDK actually throws on this platform. */
class HostErrorsTest {
    @TempDir Path tmp;

    @Test
    void mapsRealHostFailures() throws IOException {
        Path file = Files.writeString(tmp.resolve("file"), "x");
        Path dir = Files.createDirectory(tmp.resolve("dir"));
        Files.writeString(dir.resolve("child"), "c");
        Path link = Files.createSymbolicLink(tmp.resolve("link"), Path.of("file"));

        assertThat(errno(() -> Files.readAttributes(tmp.resolve("missing"), "size"))).isEqualTo(Errno.ENOENT);
        // (The JDK reports stat's ENOTDIR as NoSuchFileException; open keeps it.)
        assertThat(errno(() -> Files.newByteChannel(file.resolve("x")).close())).isEqualTo(Errno.ENOTDIR);
        assertThat(errno(() -> Files.createFile(file))).isEqualTo(Errno.EEXIST);
        assertThat(errno(() -> Files.delete(dir))).isEqualTo(Errno.ENOTEMPTY);
        assertThat(errno(() -> Files.newByteChannel(dir, StandardOpenOption.WRITE).close())).isEqualTo(Errno.EISDIR);
        // O_NOFOLLOW on a final symlink is how callers refuse host-side link following.
        assertThat(errno(() -> Files.newByteChannel(link, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS).close()))
                .isEqualTo(Errno.ELOOP);
        assertThat(errno(() -> Files.readSymbolicLink(file))).isEqualTo(Errno.EINVAL);
    }

    @Test
    void fallsBackToEio() {
        assertThat(HostErrors.errno(new IOException("odd"))).isEqualTo(Errno.EIO);
        assertThat(HostErrors.errno(new FileSystemException("f", null, "Something new"))).isEqualTo(Errno.EIO);
        assertThat(HostErrors.errno(new FileSystemException("f", null, "Read-only file system")))
                .isEqualTo(Errno.EROFS);
        assertThat(HostErrors.toGuest(new DirectoryNotEmptyException("d")).errno).isEqualTo(Errno.ENOTEMPTY);
    }

    interface HostOp {
        void run() throws IOException;
    }

    static int errno(HostOp op) {
        IOException e = catchThrowableOfType(IOException.class, op::run);
        assertThat(e).as("host operation should fail").isNotNull();
        return HostErrors.errno(e);
    }
}
