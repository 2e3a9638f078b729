# netstack/net module fragment: interfaces, Ethernet, loopback, routing
# tables (net/), and IPv4 addresses, ARP and the AF_INET domain control
# (netinet/in.c, in_control.c, if_arp.c), with the public control ABI.
# Paths are relative to the top directory.
libnetstack_la_SOURCES += \
	netstack/net/if.h \
	netstack/net/if_var.h \
	netstack/net/route.h \
	netstack/net/if.c \
	netstack/net/if_control.c \
	netstack/net/if_ethersubr.c \
	netstack/net/if_loop.c \
	netstack/net/route.c \
	netstack/net/rtmsg.c \
	netstack/net/ether_sw_offload.h \
	netstack/net/ether_sw_offload.c \
	netstack/netinet/in.h \
	netstack/netinet/in_var.h \
	netstack/netinet/in.c \
	netstack/netinet/in_control.c \
	netstack/netinet/if_arp.h \
	netstack/netinet/if_arp.c \
	netstack/netinet/arp_dad.c

# The configuration ABI (ioctl requests and structures).
rumpnetinclude_HEADERS += include/rumpnet/rump_net.h

EXTRA_DIST += tests/unit/test_net_fakeif.h

if HAVE_CHECK
check_PROGRAMS += tests/unit/test_net
TESTS += tests/unit/test_net
UNIT_TESTS += tests/unit/test_net
tests_unit_test_net_SOURCES = tests/unit/test_net.c \
	tests/unit/test_net_fakeif.c
tests_unit_test_net_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_unit_test_net_LDADD = libnetstack.la librumpuser.la $(CHECK_LIBS)
endif

if HAVE_CHECK
check_PROGRAMS += tests/unit/test_arp
TESTS += tests/unit/test_arp
UNIT_TESTS += tests/unit/test_arp
tests_unit_test_arp_SOURCES = tests/unit/test_arp.c \
	tests/unit/test_net_fakeif.c
tests_unit_test_arp_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_unit_test_arp_LDADD = libnetstack.la librumpuser.la $(CHECK_LIBS)
endif
