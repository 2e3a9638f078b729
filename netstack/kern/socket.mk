# netstack/kern socket layer: sockets and socket buffers, the protocol
# switch, processes and their descriptor tables, and the system calls.
# Paths are relative to the top directory.
libnetstack_la_SOURCES += \
	netstack/kern/socketvar.h \
	netstack/kern/socket_private.h \
	netstack/kern/proc.h \
	netstack/kern/uipc_proto.c \
	netstack/kern/uipc_sockbuf.c \
	netstack/kern/uipc_socket.c \
	netstack/kern/sys_socket.c \
	netstack/kern/proc.c

# The public rump_sys_* calls belong to the process's default kernel
# (rump.c), so they live in the installed library next to it.
librumpnet_la_SOURCES += netstack/kern/rump_syscalls.c
rumpnetinclude_HEADERS += include/rumpnet/rump_syscalls.h

# The socket test runs the public calls too, so it builds the default
# kernel's two files into itself.
if HAVE_CHECK
check_PROGRAMS += tests/unit/test_socket
TESTS += tests/unit/test_socket
UNIT_TESTS += tests/unit/test_socket
tests_unit_test_socket_SOURCES = tests/unit/test_socket.c \
	netstack/kern/rump.c netstack/kern/rump_syscalls.c
tests_unit_test_socket_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_unit_test_socket_LDADD = libnetstack.la librumpuser.la $(CHECK_LIBS)
endif
