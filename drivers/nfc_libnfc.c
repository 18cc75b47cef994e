/* nfc_libnfc.c: a real card reader through libnfc ("libnfc",
 * "libnfc:pn532_uart:/dev/ttyUSB0").
 *
 * Any reader libnfc 1.8 drives (PN532 on UART/I2C/SPI, ACR122U, PN533 USB...)
 * is polled for ISO 14443A cards at 106 kbps; only the UID is read (4, 7 or 10
 * bytes), given as lowercase hex.  The card's ATQA and SAK, which come with
 * every select anyway, are kept for card_type() (ln_card_type(), after NXP's
 * AN10833 "MIFARE type identification procedure").  A bare "libnfc" lets libnfc pick the
 * reader (LIBNFC_DEFAULT_DEVICE, /etc/nfc/libnfc.conf, then its USB scan);
 * "libnfc:<connstring>" names one.
 *
 * Polling, not waiting: every LN_POLL_MS one InListPassiveTarget goes out with
 * the chip's retries made finite (NP_INFINITE_SELECT off: the chip tries three
 * times and answers "no card" within milliseconds), so each libnfc call ends
 * on its own, bounded by libnfc's 300 ms command timeout when the reader says
 * nothing at all.  No thread and no nfc_abort_command are needed, and read()
 * returns within timeout_ms plus at most one such call.
 *
 * One tap per card: the UID of the card on the reader is remembered.  While
 * it is remembered, each poll first selects that very card again (its UID as
 * the initiator data, as libnfc's own target_is_present does for MIFARE
 * Classic), which works for every ISO 14443A card and does not let a second
 * card on the reader steal the turn.  When it does not answer, a plain select
 * follows: a different card there is a new tap at once; nothing there for
 * LN_GONE_POLLS polls in a row means the card was taken away (a card held
 * at the edge of the field that misses one poll is still one tap).
 *
 * Failure: every libnfc error (the port gone, a frame with a bad checksum, no
 * answer) counts; LN_ERRORS_MAX in a row and read() says HG_EIO, so the
 * caller closes and opens again with backoff (kiosk/sdl_nfc.c).  A good poll
 * clears the count, so one corrupt frame costs a retry, not the reader.
 * No command that carries card data back (InDataExchange) is ever sent: only
 * selects, whose answers libnfc checks before we see them.
 *
 * Start reading at ln_read(), then poll_once().
 */
#include "nfc.h"
#include "../core/text.h"

#include <nfc/nfc.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define LN_POLL_MS 20		/* between two polls: the latency a tap can add */
#define LN_GONE_POLLS 2		/* polls without the held card before it is gone */
#define LN_ERRORS_MAX 3		/* libnfc errors in a row before HG_EIO */

struct nfc_dev {
	nfc_context *ctx;
	nfc_device *pnd;
	uint8_t held[10];	/* UID of the card on the reader (already told) */
	size_t held_len;	/* 0: none */
	uint16_t atqa;		/* of the card last told (read() said HG_OK) */
	uint8_t sak;
	int told;		/* a card has been told: atqa and sak are its */
	int misses;		/* polls in a row the held card was not seen */
	int errors;		/* libnfc errors in a row */
	int nfc_error;		/* the last one (NFC_E*), for a debugger */
	int64_t next_poll;	/* CLOCK_MONOTONIC ms of the next poll */
	long polls;		/* every poll, for a debugger */
};

static const nfc_modulation iso14443a = { .nmt = NMT_ISO14443A, .nbr = NBR_106 };

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void sleep_ms(int64_t ms)
{
	struct timespec ts;

	if (ms <= 0)
		return;
	ts.tv_sec = (time_t)(ms / 1000);
	ts.tv_nsec = (long)(ms % 1000) * 1000000L;
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

/* libnfc logs every failed frame to stderr at its default level (and "no USB
 * busses" on every open).  Quiet it once, before the first nfc_init, unless
 * the user asked for a level: libnfc's nfc_init writes the level it used back
 * into LIBNFC_LOG_LEVEL, so later opens keep it.  Opens happen on one thread
 * (the reader's, or the CLI's main), so a plain flag is enough. */
static void quiet_libnfc(void)
{
	static int done;

	if (done)
		return;
	done = 1;
	if (!getenv("LIBNFC_LOG_LEVEL"))
		setenv("LIBNFC_LOG_LEVEL", "0", 0);
}

static void ln_close(struct nfc_dev *d)
{
	if (!d)
		return;
	if (d->pnd)
		nfc_close(d->pnd);
	if (d->ctx)
		nfc_exit(d->ctx);
	free(d);
}

/* arg: "" for libnfc's own choice, else a libnfc connection string. */
static int ln_open(struct nfc_dev **out, const char *arg)
{
	struct nfc_dev *d;
	nfc_connstring conn;
	size_t n;

	if (!out)
		return HG_EINVAL;
	*out = NULL;
	if (!arg)
		return HG_EINVAL;
	n = strlen(arg);
	if (n >= sizeof conn)
		return HG_ETOOLONG;
	memcpy(conn, arg, n + 1);

	d = calloc(1, sizeof *d);
	if (!d)
		return HG_ENOMEM;
	quiet_libnfc();
	nfc_init(&d->ctx);
	if (!d->ctx)
		goto fail;
	d->pnd = nfc_open(d->ctx, n ? conn : NULL);
	if (!d->pnd)
		goto fail;
	if (nfc_initiator_init(d->pnd) < 0)
		goto fail;
	/* finite retries: a select with no card answers at once instead of
	 * staying pending until one comes */
	if (nfc_device_set_property_bool(d->pnd, NP_INFINITE_SELECT, false) < 0)
		goto fail;
	/* the UID is all we need: no RATS to ISO 14443-4 cards */
	if (nfc_device_set_property_bool(d->pnd, NP_AUTO_ISO14443_4, false) < 0)
		goto fail;
	*out = d;
	return HG_OK;
fail:
	ln_close(d);
	return HG_EIO;
}

/* The initiator data that selects the card with this UID: ISO 14443-3
 * cascade tags (0x88) before each full cascade level. */
static size_t cascade(const uint8_t *uid, size_t n, uint8_t out[12])
{
	switch (n) {
	case 7:
		out[0] = 0x88;
		memcpy(out + 1, uid, 7);
		return 8;
	case 10:
		out[0] = 0x88;
		memcpy(out + 1, uid, 3);
		out[4] = 0x88;
		memcpy(out + 5, uid + 3, 7);
		return 12;
	default:
		memcpy(out, uid, 4);
		return 4;
	}
}

/* What one poll saw.  libnfc's own codes are negative like ours and
 * overlap them (NFC_EIO is -1, HG_EINVAL too), so they stay in d->nfc_error. */
enum poll_result { POLL_NOTHING, POLL_TAP, POLL_BADUID, POLL_ERROR };

/* One poll: POLL_TAP with uid set, POLL_NOTHING (no card, or the held one),
 * POLL_BADUID for a card whose UID is not 4, 7 or 10 bytes (not remembered),
 * POLL_ERROR when libnfc failed. */
static enum poll_result poll_once(struct nfc_dev *d, char uid[LIM_UID + 1])
{
	nfc_target nt;
	uint8_t init[12];
	size_t len;
	int r;

	d->polls++;
	if (d->held_len) {
		r = nfc_initiator_select_passive_target(d->pnd, iso14443a, init,
							cascade(d->held, d->held_len, init), &nt);
		if (r < 0)
			goto error;
		if (r > 0) {
			d->misses = 0;	/* still on the reader: no new tap */
			return POLL_NOTHING;
		}
	}
	memset(&nt, 0, sizeof nt);
	r = nfc_initiator_select_passive_target(d->pnd, iso14443a, NULL, 0, &nt);
	if (r < 0)
		goto error;
	if (r == 0) {
		if (d->held_len && ++d->misses >= LN_GONE_POLLS)
			d->held_len = 0;	/* taken away: its next tap counts */
		return POLL_NOTHING;
	}
	len = nt.nti.nai.szUidLen;
	if (len != 4 && len != 7 && len != 10)
		return POLL_BADUID;
	d->misses = 0;
	if (len == d->held_len && memcmp(d->held, nt.nti.nai.abtUid, len) == 0)
		return POLL_NOTHING;	/* the held card after a miss */
	memcpy(d->held, nt.nti.nai.abtUid, len);
	d->held_len = len;
	d->atqa = (uint16_t)(nt.nti.nai.abtAtqa[0] << 8 | nt.nti.nai.abtAtqa[1]);
	d->sak = nt.nti.nai.btSak;
	d->told = 1;
	text_hex(d->held, len, uid);
	return POLL_TAP;
error:
	d->nfc_error = r;
	return POLL_ERROR;
}

/* The next tap within timeout_ms (negative: no limit; 0: one poll).  HG_OK
 * with uid, HG_EBUSY when none came, HG_EINVAL for a card whose UID is not 4,
 * 7 or 10 bytes, HG_EIO when the reader failed LN_ERRORS_MAX polls in a row.
 * May overrun timeout_ms by one libnfc command (at most ~0.3 s, only when the
 * reader stops answering). */
static int ln_read(struct nfc_dev *d, int timeout_ms, char uid[LIM_UID + 1])
{
	int64_t deadline = now_ms() + (timeout_ms > 0 ? timeout_ms : 0);
	enum poll_result r;

	if (!d || !uid)
		return HG_EINVAL;
	uid[0] = '\0';
	for (;;) {
		int64_t now = now_ms();

		if (d->next_poll > now) {
			if (timeout_ms >= 0 && d->next_poll > deadline) {
				sleep_ms(deadline - now);
				return HG_EBUSY;
			}
			sleep_ms(d->next_poll - now);
		}
		r = poll_once(d, uid);
		d->next_poll = now_ms() + LN_POLL_MS;
		if (r == POLL_ERROR) {
			if (++d->errors >= LN_ERRORS_MAX)
				return HG_EIO;
		} else {
			d->errors = 0;
		}
		if (r == POLL_TAP)
			return HG_OK;
		if (r == POLL_BADUID)
			return HG_EINVAL;
		if (timeout_ms >= 0 && now_ms() >= deadline)
			return HG_EBUSY;
	}
}

/* NXP AN10833, table 4: the SAK after the last cascade level names the
 * family.  The ATQA only tells members of one family apart (Classic 1K with
 * a 4- or 7-byte UID, Plus SL1 or Classic), which a receipt does not care
 * about, so it is shown only for a card the table does not know. */
static const struct {
	uint8_t sak;
	const char *name;
} card_types[] = {
	{ 0x00, "MIFARE Ultralight / NTAG" },
	{ 0x08, "MIFARE Classic 1K" },	/* or a MIFARE Plus in SL1 */
	{ 0x09, "MIFARE Mini" },
	{ 0x10, "MIFARE Plus 2K (SL2)" },
	{ 0x11, "MIFARE Plus 4K (SL2)" },
	{ 0x18, "MIFARE Classic 4K" },	/* or a MIFARE Plus in SL1 */
	{ 0x28, "MIFARE Classic 1K emulation / ISO 14443-4" },	/* SmartMX */
	{ 0x38, "MIFARE Classic 4K emulation / ISO 14443-4" },	/* SmartMX */
};

/* The card last told: the table, then any other SAK with bit 6 set (0x20,
 * ISO 14443-4 compliant) as DESFire / ISO 14443-4, else "ISO 14443-A" with
 * the raw ATQA and SAK. */
static int ln_card_type(struct nfc_dev *d, char *buf, size_t cap)
{
	const char *name = NULL;
	int n;

	if (!d || !buf || cap == 0)
		return HG_EINVAL;
	buf[0] = '\0';
	if (!d->told)
		return HG_ENOTFOUND;
	for (size_t i = 0; !name && i < sizeof card_types / sizeof card_types[0]; i++) {
		if (card_types[i].sak == d->sak)
			name = card_types[i].name;
	}
	if (!name && (d->sak & 0x20))
		name = "MIFARE DESFire / ISO 14443-4";
	if (name)
		n = snprintf(buf, cap, "%s", name);
	else
		n = snprintf(buf, cap, "ISO 14443-A, ATQA 0x%04x, SAK 0x%02x",
			     (unsigned)d->atqa, (unsigned)d->sak);
	return n >= 0 && (size_t)n < cap ? HG_OK : HG_ETOOLONG;
}

const struct nfc_ops nfc_libnfc_ops = {
	.scheme = "libnfc",
	.open = ln_open,
	.read = ln_read,
	.card_type = ln_card_type,
	.close = ln_close,
};
