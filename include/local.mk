# Installed public headers.
rumpnetinclude_HEADERS += \
	include/rumpnet/rump.h
