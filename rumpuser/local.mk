# rumpuser: the hypercall layer, the only kernel code that calls the host.
noinst_LTLIBRARIES += librumpuser.la
librumpuser_la_SOURCES = rumpuser/rumpuser.c rumpuser/rumpuser.h
