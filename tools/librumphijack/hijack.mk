# librumphijack: LD_PRELOAD library running a program's sockets in a
# rump kernel (rumphijack(3)).  It carries its own copy of the client
# code (built from librumpclient's sources with hidden symbols), so it
# exports only the calls of hijack_calls.def.  Paths are relative to the
# top directory.

lib_LTLIBRARIES += librumphijack.la
librumphijack_la_SOURCES = \
	tools/librumphijack/hijack.c \
	tools/librumphijack/hijack.h \
	tools/librumphijack/hijack_calls.def \
	tools/librumphijack/hijack_poll.c \
	tools/librumphijack/hijack_proc.c \
	tools/librumpclient/rumpclient.c \
	tools/librumpclient/rumpclient_int.h \
	tools/librumpclient/rumpclient_sys.c \
	tools/librumpclient/sp_proto.c \
	tools/librumpclient/sp_url.c
librumphijack_la_CFLAGS = $(AM_CFLAGS) -fvisibility=hidden
librumphijack_la_LIBADD = -ldl -lpthread
librumphijack_la_LDFLAGS = -module -avoid-version -shared

dist_man_MANS += man/rumphijack.3
