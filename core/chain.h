/* chain.h: the event log's hash chain, as values: an event's canonical
 * bytes and its hash.
 *
 * The station's store (db/store.c) appends and verifies its log with these
 * bytes; the plant's server recomputes every event it receives with
 * chain_hash() (docs/SCHEMA.md, docs/SYNC.md).  One definition, so the two
 * cannot drift. */
#ifndef CHAIN_H
#define CHAIN_H

#include <stddef.h>
#include "hg.h"

#define CHAIN_HASH 32

/* One event as it is chained. */
struct chain_event {
	long long seq;		/* 1, 2, ... */
	hg_time ts;
	const char *type;	/* NULL: "" */
	long long load_no;
	const char *actor;	/* NULL: "" */
	const char *detail;	/* NULL: "" */
};

/* Bytes chain_head() writes at most, for a type of tlen and an actor of
 * alen bytes. */
#define CHAIN_HEAD_MAX(tlen, alen) (3 * 21 + 2 + (tlen) + (alen))

/* The fixed part of the canonical bytes: "<seq>\n<ts>\n<type>\n<load_no>\n
 * <actor>\n", numbers in plain decimal, into buf (CHAIN_HEAD_MAX bytes;
 * no NUL added).  Returns the length. */
size_t chain_head(char *buf, const struct chain_event *e);

/* The whole canonical bytes of e: its head, then "<detail>\n".  Writes them
 * to buf[cap] (no NUL added) and returns their length, or HG_ETOOLONG when
 * they do not fit. */
int chain_bytes(char *buf, size_t cap, const struct chain_event *e);

/* e's hash: SHA-256(prev[32] || canonical bytes).  prev is all zero for
 * event 1. */
void chain_hash(const uint8_t prev[CHAIN_HASH], const struct chain_event *e,
		uint8_t out[CHAIN_HASH]);

#endif
