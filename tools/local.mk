# Tools: one subdirectory per program.
include tools/server.mk
include tools/tools.mk
include tools/inet6tools.mk
