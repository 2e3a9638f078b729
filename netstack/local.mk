# netstack: the host-independent kernel.
noinst_LTLIBRARIES += libnetstack.la
libnetstack_la_SOURCES = \
	netstack/kern/kern.h \
	netstack/kern/subr.c \
	netstack/kern/netstack.h \
	netstack/kern/netstack.c \
	netstack/kern/klock.h \
	netstack/kern/klock.c \
	netstack/kern/callout.h \
	netstack/kern/callout.c \
	netstack/kern/mbuf.h \
	netstack/kern/mbuf.c \
	netstack/kern/sysctl.h \
	netstack/kern/sysctl.c \
	netstack/kern/modules.h \
	netstack/kern/socketvar.h \
	netstack/net/if.h \
	netstack/net/route.h \
	netstack/netinet/in.h \
	netstack/netinet/in_var.h
libnetstack_la_LIBADD = libcksum.la

# The installed library: kernel, drivers and the hypercall layer.
lib_LTLIBRARIES += librumpnet.la
librumpnet_la_SOURCES = netstack/kern/rump.c
librumpnet_la_LIBADD = libnetstack.la librumpuser.la
librumpnet_la_LDFLAGS = -version-info 0:0:0

# Module fragments: each adds its sources to libnetstack_la_SOURCES and
# its tests.
include netstack/netinet/cksum.mk
include netstack/kern/socket.mk
include netstack/net/net.mk
include netstack/netinet/inet.mk
include netstack/netinet6/netinet6.mk
