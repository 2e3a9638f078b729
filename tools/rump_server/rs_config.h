/*
 * rs_config.h -- rump_server -f FILE: configure the kernel from a file
 * of commands, in the process that runs it, before serving.
 *
 * The file is read and applied line by line after rump_init(); a server
 * started with -f accepts its first client only once every line has
 * been applied, so the detaching parent's exit means "configured".
 * The commands are a subset of the tools' own command lines (see
 * rump_server(1)):
 *
 *	sysctl NAME=VALUE ...
 *	ifconfig IF [create] [linkstr PATH] [inet|inet6 ADDR[/LEN]] [up|down]
 *	route add [-inet|-inet6] DEST[/LEN]|default GATEWAY
 *
 * Blank lines and lines starting with '#' are skipped.
 */
#ifndef _TOOLS_RUMP_SERVER_RS_CONFIG_H_
#define _TOOLS_RUMP_SERVER_RS_CONFIG_H_

#include <stddef.h>

/* Longest line accepted, newline excluded. */
#define RS_CONFIG_LINEMAX	4096

/*
 * Apply every command of the file at path to the running kernel (the
 * caller's kernel process).  Stops at the first bad or failing line.
 * => 0, or -1 with "PATH:LINE: what went wrong" in err.
 */
int	rs_config_file(const char *path, char *err, size_t errlen);

/*
 * Apply one line (no newline; it is modified in place).
 * => 0, or -1 with the reason in err.
 */
int	rs_config_line(char *line, char *err, size_t errlen);

#endif /* _TOOLS_RUMP_SERVER_RS_CONFIG_H_ */
