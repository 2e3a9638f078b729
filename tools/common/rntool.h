/*
 * rntool.h -- code shared by the rump.* configuration tools.
 *
 * The tools talk to the kernel selected by $RUMP_SERVER only through
 * the public API: rump_sys_* (rump_syscalls.h) and the configuration
 * ioctls of rump_net.h.  Everything here is host-side.
 *
 * Errors: every message starts with the program name ("rump.arp: ..."),
 * and errno values are rendered with the BSD wording the NetBSD test
 * scripts match ("Device not configured", "Device busy", ...).
 */
#ifndef _TOOLS_COMMON_RNTOOL_H_
#define _TOOLS_COMMON_RNTOOL_H_

#include <stdarg.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <rumpnet/rump_net.h>

/* Address families as the kernel numbers them (Linux). */
#define RN_AF_INET	2
#define RN_AF_INET6	10

/* ------------------------------------------------------------ messages */

/* Set the program name and check that RUMP_SERVER names a server. */
void	rn_init(const char *progname);
const char *rn_progname(void);

/* BSD wording of an errno value ("Device not configured" for ENXIO). */
const char *rn_strerror(int error);

/* "prog: fmt: strerror(errno)" / "prog: fmt", then exit(status). */
_Noreturn void rn_err(int status, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
_Noreturn void rn_errx(int status, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
_Noreturn void rn_errc(int status, int error, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void	rn_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void	rn_warnx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void	rn_warnc(int error, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Print "usage: LINE" (then "       LINE" for the others), exit 1. */
_Noreturn void rn_usage(const char *const *lines);

/* ------------------------------------------------------------- parsing */

/*
 * Unsigned number in [min, max]; base 0 (decimal, 0x hex, 0 octal) or
 * as given.  False on anything but a complete, in-range number.
 */
bool	rn_parse_ulong(const char *s, int base, unsigned long min,
	    unsigned long max, unsigned long *out);
/* Same, exiting with "prog: WHAT: bad value 'S'" on failure. */
unsigned long rn_parse_ulong_or_die(const char *s, unsigned long min,
	    unsigned long max, const char *what);
/* Non-negative decimal with an optional fraction ("0.1", "3"): ns. */
bool	rn_parse_seconds(const char *s, uint64_t maxsec, uint64_t *ns);

/* Strict dotted quad into 4 bytes (network order). */
bool	rn_parse_inet(const char *s, uint8_t addr[4]);
/* "A.B.C.D" or "A.B.C.D/len": *plen is -1 without "/len". */
bool	rn_parse_inet_prefix(const char *s, uint8_t addr[4], int *plen);
/* A netmask: dotted quad or 0xffffff00; must be contiguous. */
bool	rn_parse_netmask(const char *s, int *plen);
bool	rn_parse_inet6(const char *s, uint8_t addr[16]);
/*
 * "ADDR" or "ADDR%ZONE" (an interface name or index): *zone is the
 * interface index, 0 without a zone.  False on a bad address or an
 * unknown interface.
 */
bool	rn_parse_inet6_zone(const char *s, uint8_t addr[16], uint32_t *zone);
/* Is the address link-scoped (fe80::/10, ff02::/16): shown with %IF. */
bool	rn_inet6_is_scoped(const uint8_t addr[16]);
bool	rn_parse_mac(const char *s, uint8_t mac[6]);

/* Formatting. */
#define RN_INET_STRLEN	16
#define RN_INET6_STRLEN	46
#define RN_MAC_STRLEN	18
const char *rn_fmt_inet(const uint8_t addr[4], char buf[RN_INET_STRLEN]);
const char *rn_fmt_inet6(const uint8_t addr[16], char buf[RN_INET6_STRLEN]);
const char *rn_fmt_mac(const uint8_t mac[6], char buf[RN_MAC_STRLEN]);
void	rn_plen_to_mask(int plen, uint8_t mask[4]);
int	rn_classful_plen(const uint8_t addr[4]);
bool	rn_is_zero(const uint8_t *p, size_t n);

/* ----------------------------------------------------------- the kernel */

/* A socket of the kernel for configuration ioctls (opened once). */
int	rn_ctlsock(void);
/* rump_sys_ioctl on rn_ctlsock(): 0, or -1 with errno set. */
int	rn_ioctl(unsigned long req, void *arg);

/* Interface information by name / index: 0 or an errno value. */
int	rn_ifinfo_byname(const char *name, struct rump_ifinfo *ifi);
int	rn_ifinfo_byindex(uint32_t index, struct rump_ifinfo *ifi);
/* Iterate: start with ifi->ifi_index = 0; false after the last. */
bool	rn_ifinfo_next(struct rump_ifinfo *ifi);
/* Interface name of an index ("?" if unknown). */
const char *rn_ifname(uint32_t index, char buf[RUMP_IFNAMSIZ]);

/* Copy a name into a fixed RUMP_IFNAMSIZ field; exits if too long. */
void	rn_setifname(char dst[RUMP_IFNAMSIZ], const char *name);

/* sysctl by name: 0 or an errno value. */
int	rn_sysctl_get(const char *name, void *buf, size_t *len);

/* Sleep for ns nanoseconds; monotonic time in ns. */
void	rn_sleep_ns(uint64_t ns);
uint64_t rn_now_ns(void);

/* Probe statistics shared by rump.ping and rump.ping6. */
struct rn_pingstats {
	unsigned long	ps_ntransmitted, ps_nreceived, ps_nrepeats;
	uint64_t	ps_tmin, ps_tmax;	/* ns */
	double		ps_tsum, ps_tsumsq;	/* ms */
};
/*
 * Print the summary after the tool's own header line: the packet counts
 * and loss, then, if timed (the probes carried timestamps) and anything
 * came back, "round-trip min/avg/max/<stddev> = ..." with the tool's
 * spelling of stddev.
 */
void	rn_ping_summary(const struct rn_pingstats *ps, bool timed,
	    const char *stddev);

/*
 * A probe's data: the bytes 0, 1, 2, ... and, if there is room
 * (RN_PING_TSLEN bytes), the send time at the front as two big-endian
 * 64-bit words, seconds and nanoseconds of rn_now_ns().
 */
#define RN_PING_TSLEN	16
#define RN_PING_SEQS	65536		/* sequence numbers: 16 bits */
void	rn_ping_fill(uint8_t *data, size_t len);
/*
 * Account an echo reply with sequence number seq whose data (len bytes
 * after the ICMP header) answers a probe of datalen data bytes.  rcvd
 * holds one bit per sequence number (RN_PING_SEQS / 8 bytes): a second
 * reply is a duplicate (ps_nrepeats).  A first one counts in
 * ps_nreceived and, if the probe was timed and the reply carries the
 * stamp, its round trip in the min/max/sum figures.
 * => true for a duplicate; *timedp says whether *rttp (ns) is known.
 */
bool	rn_ping_reply(struct rn_pingstats *ps, uint8_t *rcvd, uint16_t seq,
	    const uint8_t *data, size_t len, size_t datalen, uint64_t *rttp,
	    bool *timedp);

/*
 * The probe schedule both pings share.  A probe goes out at once and
 * then every pr_interval ns (pr_send).  The run ends after pr_count
 * replies (0: no limit), at the first reply with pr_once, at
 * pr_deadline (absolute rn_now_ns() time, 0: none), when *pr_stop
 * becomes true (the SIGINT handler's flag), or, once the last of
 * pr_count probes is out, after max(2 x the longest round trip seen,
 * 10 intervals) of waiting for stragglers.  In between it sleeps in
 * poll on pr_fd and calls pr_recv when it is readable.
 */
struct rn_pingrun {
	int		 pr_fd;
	uint64_t	 pr_interval;		/* ns */
	uint64_t	 pr_deadline;		/* ns, 0: none */
	unsigned long	 pr_count;		/* 0: no limit */
	bool		 pr_once;
	const struct rn_pingstats *pr_stats;	/* the tool's counters */
	const volatile sig_atomic_t *pr_stop;
	void		(*pr_send)(void *arg);
	void		(*pr_recv)(void *arg);
	void		*pr_arg;
};
void	rn_ping_run(const struct rn_pingrun *pr);

#endif /* _TOOLS_COMMON_RNTOOL_H_ */
