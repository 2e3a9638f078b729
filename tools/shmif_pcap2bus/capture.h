/*
 * capture.h -- the capture reader of shmif_pcap2bus: records of a pcap
 * or pcapng file (libpcap reads both), each classified as a frame that
 * can go on a shmif bus or not.  Separate from the tool so that it is
 * fuzzed directly (tests/fuzz/fuzz_pcap.c).
 */
#ifndef _TOOLS_SHMIF_PCAP2BUS_CAPTURE_H_
#define _TOOLS_SHMIF_PCAP2BUS_CAPTURE_H_

#include <stdint.h>
#include <stdio.h>

#include <pcap/pcap.h>

struct capture {
	pcap_t	*c_pcap;
	char	 c_err[PCAP_ERRBUF_SIZE];	/* last error message */
};

/* A record as read: data points into libpcap's buffer until the next. */
struct capture_rec {
	const uint8_t *cr_data;
	uint32_t cr_caplen;	/* bytes captured, at cr_data */
	uint32_t cr_len;	/* bytes on the wire */
	uint32_t cr_sec;
	uint32_t cr_usec;
};

enum capture_verdict {
	CAPTURE_FRAME,		/* 14..1514 bytes, whole: goes on the bus */
	CAPTURE_TRUNCATED,	/* captured shorter than on the wire */
	CAPTURE_BADLEN,		/* outside 14..1514 bytes */
};

/*
 * Open a capture from a path ("-" = standard input) or a stream, which
 * the capture owns from then on (closed by capture_close(), or at once
 * if the open fails).  A link type other than Ethernet is refused.
 * => 0, or -1 with c_err set.
 */
int	capture_open_path(struct capture *c, const char *path);
int	capture_open_stream(struct capture *c, FILE *fp);

/* => 1 and *rec, 0 at the end, -1 on a read error (c_err set). */
int	capture_next(struct capture *c, struct capture_rec *rec);

/* Whether a record can go on a shmif bus as it is. */
enum capture_verdict capture_check(const struct capture_rec *rec);

void	capture_close(struct capture *c);

#endif /* _TOOLS_SHMIF_PCAP2BUS_CAPTURE_H_ */
