#!/bin/sh
# /init of Rivet's guest image (scripts/build-guest-image): busybox is installed in /bin, /sbin,
# /usr/bin and /usr/sbin. Mounts the kernel's file systems, says which kernel booted (tests wait
# for the "guest: booted" line), then runs a login shell on the console; `poweroff -f` ends it.
export PATH=/sbin:/bin:/usr/sbin:/usr/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
# The kernel mounts devtmpfs on /dev by itself only for a disk root, not for an initramfs.
mount -t devtmpfs devtmpfs /dev 2>/dev/null
mount -t tmpfs tmpfs /tmp
echo "guest: booted $(uname -r) $(uname -m)"
exec setsid cttyhack sh -l
