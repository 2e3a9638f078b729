/*
 * dumpbus_out.h -- where shmif_dumpbus sends what it finds: the text
 * lines, a classic pcap file (libpcap) or a pcapng file (written here),
 * after an optional libpcap filter expression.
 */
#ifndef _TOOLS_SHMIF_DUMPBUS_DUMPBUS_OUT_H_
#define _TOOLS_SHMIF_DUMPBUS_DUMPBUS_OUT_H_

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <pcap/pcap.h>

enum dumpbus_fmt {
	DUMPBUS_NONE,		/* text only */
	DUMPBUS_PCAP,		/* -p */
	DUMPBUS_PCAPNG,		/* -P */
};

/* A frame and where it came from. */
struct dumpbus_frame {
	const uint8_t *df_data;
	uint32_t df_len;
	uint32_t df_off;	/* data offset of the frame bytes */
	uint32_t df_sec;
	uint32_t df_usec;
	uint64_t df_sender;
	bool	df_hassender;	/* false on a version 2 bus */
};

struct dumpbus_out {
	FILE	*do_text;		/* lines, or NULL (-q) */
	enum dumpbus_fmt do_fmt;
	const char *do_path;		/* capture file, "-" = stdout */
	pcap_t	*do_pcap;		/* dead handle: dumper and filter */
	pcap_dumper_t *do_dumper;	/* DUMPBUS_PCAP */
	FILE	*do_ng;			/* DUMPBUS_PCAPNG */
	uint64_t *do_ifsender;		/* pcapng interface id -> sender */
	size_t	do_nif;
	size_t	do_ifcap;
	bool	do_hasfilter;
	struct bpf_program do_filter;
	uint64_t do_index;		/* frames shown so far */
};

/*
 * Open the capture (if fmt is not DUMPBUS_NONE) and compile the filter
 * (if expr is not NULL).  Text goes to stderr when the capture goes to
 * stdout, else to stdout; nowhere when quiet.  Exits with a message on
 * failure.
 */
void	dumpbus_out_open(struct dumpbus_out *out, enum dumpbus_fmt fmt,
	    const char *path, const char *expr, bool quiet);

/* Text stream chosen by dumpbus_out_open(), for the header line. */
FILE	*dumpbus_out_textfp(const struct dumpbus_out *out);

/* => true if the frame passed the filter and was shown. */
bool	dumpbus_out_frame(struct dumpbus_out *out,
	    const struct dumpbus_frame *df);

/* Push buffered output to the files.  => 0 or an errno (EPIPE ...). */
int	dumpbus_out_flush(struct dumpbus_out *out);

/* Has the reader of our standard output gone away (a closed pipe)? */
bool	dumpbus_out_gone(const struct dumpbus_out *out);

/* Flush and close.  => 0 or an errno. */
int	dumpbus_out_close(struct dumpbus_out *out);

#endif /* _TOOLS_SHMIF_DUMPBUS_DUMPBUS_OUT_H_ */
