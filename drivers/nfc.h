/* nfc.h: the card reader.
 *
 * A backend is a const struct nfc_ops picked by the scheme of the config's
 * `nfc =` value.  nfc_ops.read waits up to timeout_ms for the next card tap
 * and gives its UID as normalised lowercase hex (text_uid_norm).  A backend
 * that has lost its reader says HG_EIO and is opened again by the caller. */
#ifndef NFC_H
#define NFC_H

#include "../core/hg.h"

struct nfc_dev;

struct nfc_ops {
	const char *scheme;	/* "sim", "libnfc" */
	int (*open)(struct nfc_dev **out, const char *arg);
	/* HG_OK with uid set, HG_EBUSY on timeout (no card), HG_EINVAL for a
	 * malformed UID (skipped), HG_EIO when the reader is gone. */
	int (*read)(struct nfc_dev *d, int timeout_ms, char uid[LIM_UID + 1]);
	/* Optional (NULL when the backend cannot tell, as nfc_sim): the type of
	 * the card last returned by read(), in English ("MIFARE Classic 1K",
	 * "ISO 14443-A, SAK 0x53"), into buf.  HG_OK, HG_ENOTFOUND when read()
	 * has returned no card yet, HG_ETOOLONG when cap is too small (buf
	 * then holds as much as fits), HG_EINVAL for a NULL or zero cap. */
	int (*card_type)(struct nfc_dev *d, char *buf, size_t cap);
	void (*close)(struct nfc_dev *d);
};

const struct nfc_ops *nfc_backend(const char *spec, const char **arg);

/* Simulated reader: UIDs, one per line, from a FIFO (made if missing). */
extern const struct nfc_ops nfc_sim_ops;

/* Simulated reader only: the nth read from now (1 = the next) fails with
 * HG_EIO, taking nothing from the FIFO; with forever, that read and every
 * later one.  nth <= 0 clears the fault.  Each call restarts the count; a
 * NULL d is ignored.  See relay_sim_fail. */
void nfc_sim_fail(struct nfc_dev *d, int nth, int forever);

/* A real reader through libnfc: arg "" lets libnfc find it, else arg is a
 * libnfc connection string ("pn532_uart:/dev/ttyUSB0").  ISO 14443A cards; a
 * card held on the reader is one tap until it is taken away.  read() polls
 * every 20 ms and may overrun its timeout by one libnfc command (~0.3 s)
 * when the reader stops answering; three failed polls in a row: HG_EIO.
 * card_type() names the card from its ATQA and SAK (NXP AN10833). */
extern const struct nfc_ops nfc_libnfc_ops;

#endif
