/* note.h: C2SP signed notes (c2sp.org/signed-note) and the checkpoints they
 * carry (c2sp.org/tlog-checkpoint), with Ed25519 keys.
 *
 * A signed note is a text ending in a newline, a blank line, and one or
 * more signature lines:
 *
 *	haulgate.station/demo-01
 *	1523
 *	Lb8+X4vlPOzQbb/5ctoUC2sFY3Mx2U0EHn7q7bBbMzQ=
 *
 *	— haulgate.station/demo-01 w6dXJ0uh...(base64 of key id || signature)
 *	— haulgate.potw/plant b2BvQn1o...
 *
 * The checkpoint's text is its origin, its tree size in decimal and the
 * base64 RFC 6962 root (core/merkle.h), one per line.  A signature line is
 * an em dash (U+2014), a space, the key's name, a space, and the base64 of
 * the 4-byte key id (big-endian) followed by the Ed25519 signature of the
 * text (with its last newline, without the blank line).  The key id is the
 * first 4 bytes of SHA-256(name || "\n" || 0x01 || public key); a verifier
 * key, the form a third party is given, is "name+<key id, 8 hex>+base64(0x01
 * || public key)".  This is what Go's golang.org/x/mod/sumdb/note reads and
 * writes (Open, NewVerifier), which tests/cli/test_tlog_go.sh holds us to.
 *
 * A key name is non-empty, valid UTF-8, and holds no Unicode space, no '+'
 * and no control character; the station's key name is its log's origin
 * (note_station_origin()).  The plant's cosignature is an ordinary Ed25519
 * note signature by the plant's key over the same text (note_cosign()):
 * docs/CHECKPOINTS.md says why not a C2SP tlog-cosignature.
 *
 * Values in, values out: no I/O, no heap.  The secret keys are libsodium's
 * 64 bytes (seed || public key), as core/keys.h holds them. */
#ifndef NOTE_H
#define NOTE_H

#include "hg.h"

#define NOTE_MAX 16384			/* bytes of a note we read or write */
#define NOTE_NAME_MAX 255		/* bytes of a key name, and of an origin */
#define NOTE_SIG_MAX 32			/* signature lines of a note (the spec: take >= 16) */
#define NOTE_PUBLIC 32			/* an Ed25519 public key */
#define NOTE_SECRET 64			/* an Ed25519 secret key, libsodium's form */
#define NOTE_HASH 32			/* a checkpoint's root */
/* "name+xxxxxxxx+" and 44 base64 characters, and the NUL */
#define NOTE_VKEY_MAX (NOTE_NAME_MAX + 1 + 8 + 1 + 44 + 1)
/* "haulgate.station/<station id>": the origin of a station's log */
#define NOTE_STATION_PREFIX "haulgate.station/"

/* A key a note may be signed by: its name, key id and Ed25519 public key. */
struct note_verifier {
	char name[NOTE_NAME_MAX + 1];
	uint32_t id;
	uint8_t pk[NOTE_PUBLIC];
};

/* One signature line of an opened note. */
struct note_sig {
	char name[NOTE_NAME_MAX + 1];
	uint32_t id;
	int known;		/* index of its verifier in known[], or -1 */
};

/* What note_open() found: the text is the first text_len bytes of the note;
 * bit i of verified is set when known[i] signed it and the signature holds. */
struct note_opened {
	size_t text_len;
	size_t nsig;
	struct note_sig sig[NOTE_SIG_MAX];
	uint64_t verified;
};

/* A checkpoint's text, parsed. */
struct note_checkpoint {
	char origin[NOTE_NAME_MAX + 1];
	uint64_t size;			/* below 2^63 */
	uint8_t root[NOTE_HASH];
	int extensions;			/* extension lines after the root (not read) */
};

/* Is name a key name we sign or accept (see above; at most NOTE_NAME_MAX
 * bytes)?  HG_OK, or HG_EINVAL with the words saying what is wrong. */
int note_name_check(const char *name);

/* The key id of an Ed25519 key under name: the first 4 bytes, big-endian,
 * of SHA-256(name || "\n" || 0x01 || pk). */
uint32_t note_key_id(const char *name, const uint8_t pk[NOTE_PUBLIC]);

/* The verifier key "name+<id>+base64(0x01 || pk)" into out[cap]
 * (NOTE_VKEY_MAX is enough).  HG_OK, HG_EINVAL (a bad name) or HG_ETOOLONG. */
int note_vkey(const char *name, const uint8_t pk[NOTE_PUBLIC], char *out, size_t cap);

/* Parse a verifier key into *v.  HG_OK, or HG_EINVAL when it is not of the
 * form above, is not an Ed25519 key (0x01) or its id is not its name's and
 * key's (the words say which). */
int note_vkey_parse(const char *vkey, struct note_verifier *v);

/* The origin of a station's log, NOTE_STATION_PREFIX and the station id,
 * into out[cap].  HG_OK, HG_EINVAL (not a key name) or HG_ETOOLONG. */
int note_station_origin(const char *station_id, char *out, size_t cap);

/* A checkpoint's text "<origin>\n<size>\n<base64 root>\n" into out[cap],
 * NUL-terminated; *len (may be NULL) its length.  The origin must be a key
 * name (it is the signing key's name), size below 2^63.  HG_OK, HG_EINVAL or
 * HG_ETOOLONG. */
int note_checkpoint_text(const char *origin, uint64_t size, const uint8_t root[NOTE_HASH],
			 char *out, size_t cap, size_t *len);

/* Parse a checkpoint's text (text[len], e.g. a note's first text_len bytes
 * after note_open()): a non-empty origin, the size in decimal without
 * leading zeros (below 2^63), the root as 44 characters of base64 of 32
 * bytes, then any non-empty extension lines (counted, not read), every line
 * ending in a newline.  HG_OK, or HG_EINVAL with the line that is wrong. */
int note_checkpoint_parse(const char *text, size_t len, struct note_checkpoint *cp);

/* Sign text[len] (a note's text: valid UTF-8, no control character but the
 * newline, ending in a newline, at most NOTE_MAX bytes) with the Ed25519
 * secret key sk under name: the signed note (text, blank line, one
 * signature line) into out[cap], NUL-terminated, *out_len (may be NULL) its
 * length.  HG_OK, HG_EINVAL (bad text or name), HG_ETOOLONG, HG_EIO
 * (libsodium would not start). */
int note_sign(const char *text, size_t len, const char *name, const uint8_t sk[NOTE_SECRET],
	      char *out, size_t cap, size_t *out_len);

/* Add a signature by sk under name to the signed note note[len] (the
 * plant's cosignature on a station's checkpoint): the same text and the
 * signatures it had, but one by the same key (name and id), which is
 * replaced, then the new line, into out[cap] as note_sign().  The note's
 * signatures are not checked here: note_open() it first.  HG_OK, HG_EINVAL
 * (not a well-formed note, a bad name), HG_ETOOLONG, HG_EIO. */
int note_cosign(const char *note, size_t len, const char *name, const uint8_t sk[NOTE_SECRET],
		char *out, size_t cap, size_t *out_len);

/* Parse the signed note msg[len] and check its signatures against the
 * nknown (at most 64) keys in known: a signature by a known key (same name
 * and id) must verify, and one by an unknown key is kept in o->sig but not
 * checked, as the spec says.  need is a mask of known[]: each of them must
 * have signed; with need 0, at least one known key must have.
 * Returns HG_OK (o filled); HG_EINVAL when msg is not a well-formed signed
 * note (the words say where: not UTF-8, a control character, no blank line
 * before the signatures, a signature line that is not "— name base64", too
 * big, too many signatures); HG_EREFUSED when a known key's signature does
 * not verify, or a key of need did not sign, or no known key did (the
 * words name the key). */
int note_open(const char *msg, size_t len, const struct note_verifier *known, size_t nknown,
	      uint64_t need, struct note_opened *o);

#endif
