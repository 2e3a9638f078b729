#!/bin/sh
# check-netstack-symbols.sh -- the host-independence rule of netstack/.
#
# The kernel's objects (netstack/, the kernel halves of the drivers and
# the bus format library) may reference only rumpuser_* hypercalls and a
# short list of freestanding C functions.  Anything else (a stray printf,
# getenv, pthread_*, a socket call) means host access outside rumpuser/.
set -eu

builddir=${top_builddir:-.}
libs="$builddir/.libs/libnetstack.a"
for extra in libshmifkern.a libshmifbus.a libvirtifkern.a libsockinkern.a; do
	[ -f "$builddir/.libs/$extra" ] && libs="$libs $builddir/.libs/$extra"
done

allowed='^(rumpuser_[a-z_0-9]+|memcpy|memmove|memset|memcmp|memchr|strlen|strnlen|strcmp|strncmp|strchr|strrchr|__stack_chk_fail|_GLOBAL_OFFSET_TABLE_|__asan_.*|__ubsan_.*|__sanitizer_.*|__msan_.*|__tsan_.*)$'

for lib in $libs; do
	if [ ! -f "$lib" ]; then
		echo "check-netstack-symbols: $lib not built" >&2
		exit 1
	fi
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# Symbols defined anywhere in the kernel archives.
nm --defined-only -P $libs 2>/dev/null | awk 'NF >= 2 && $2 != "U" { print $1 }' |
    sort -u > "$tmp/defined"
# Symbols referenced but not defined inside them.
nm -u -P $libs 2>/dev/null | awk 'NF >= 2 && $2 == "U" { print $1 }' | sort -u > "$tmp/undef"
comm -23 "$tmp/undef" "$tmp/defined" | grep -Ev "$allowed" > "$tmp/bad" || true

if [ -s "$tmp/bad" ]; then
	echo "netstack objects reference host symbols outside rumpuser:" >&2
	sed 's/^/  /' "$tmp/bad" >&2
	for sym in $(cat "$tmp/bad"); do
		nm -A -u -P $libs 2>/dev/null | awk -v s="$sym" '$2 == s { print "    " $1 }' >&2
	done
	exit 1
fi
echo "netstack objects reference only rumpuser_* and freestanding libc"
