/* cmd_keys.c: the station's key and receipts.
 *
 * `keys` shows the Ed25519 public key that checks every receipt's QR (and,
 * with --note-verifier, signs the log's checkpoints: docs/CHECKPOINTS.md);
 * `receipt verify` checks a QR text with it and, when the database is here,
 * compares the signed fields with the load of record. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "cli.h"
#include "../core/note.h"
#include "../core/receipt.h"
#include "../core/text.h"

/* The station's public key; when it cannot be read, say why. */
static int load_public(struct cli *c, uint8_t pk[KEY_PUBLIC])
{
	int rc;

	rc = keys_load_public(c->cfg.key_path, pk);
	if (rc == HG_ENOTFOUND)
		return cli_error("no station key at '%s': run 'haulgate init' first",
				 c->cfg.key_path);
	if (rc < 0)
		return cli_error("cannot read the station key: %s", hg_error_text());
	return 0;
}

int cmd_keys(struct cli *c, const struct cli_args *a)
{
	uint8_t pk[KEY_PUBLIC];
	char buf[1024];
	int rc;

	rc = load_public(c, pk);
	if (rc < 0)
		return rc;
	if (cli_get(a, "public-pem") && cli_get(a, "note-verifier"))
		return cli_usage("--public-pem and --note-verifier: choose one");
	if (cli_get(a, "note-verifier")) {
		char origin[NOTE_NAME_MAX + 1];

		/* the key's name is the log's origin, with the station id the
		 * database recorded (docs/CHECKPOINTS.md) */
		rc = cli_open_store(c);
		if (rc < 0)
			return rc;
		rc = note_station_origin(c->cfg.station_id, origin, sizeof origin);
		if (!rc)
			rc = note_vkey(origin, pk, buf, sizeof buf);
		if (rc)
			return cli_error("%s", hg_error_text());
		printf("%s\n", buf);
		return 0;
	}
	if (cli_get(a, "public-pem")) {
		rc = keys_public_pem(pk, buf, sizeof buf);
		if (rc < 0)
			return cli_error("cannot write the public key as PEM");
		fputs(buf, stdout);
		return 0;
	}
	text_hex(pk, KEY_PUBLIC, buf);
	printf("public key: %s\nsecret key: %s\n", buf, c->cfg.key_path);
	return 0;
}

/* The QR text (at most QR_MAX - 1 bytes) into buf[cap >= QR_MAX + 2]: the
 * argument, or one line of stdin for "-".  A text too long to be one is a
 * verdict, on stdout like the others. */
static int receipt_text_arg(const char *arg, char *buf, size_t cap)
{
	size_t n;

	if (strcmp(arg, "-")) {
		n = strlen(arg);
		if (n >= QR_MAX)
			goto too_long;
		memcpy(buf, arg, n + 1);
		return 0;
	}
	if (!fgets(buf, (int)cap, stdin))
		return cli_error("no receipt text on stdin");
	n = strlen(buf);
	if (n > 0 && buf[n - 1] == '\n')
		buf[--n] = '\0';
	else if (!feof(stdin))
		goto too_long;
	if (n > 0 && buf[n - 1] == '\r')
		buf[--n] = '\0';
	if (n >= QR_MAX)
		goto too_long;
	return 0;
too_long:
	printf("not a haulgate receipt: longer than %d bytes\n", QR_MAX - 1);
	return HG_EINVAL;
}

/* Open the database to compare a genuine QR with its load; 1 when there is
 * none (said on stdout), 0 with ld filled, or an error (said). */
static int record_of(struct cli *c, long long load_no, struct load_rec *ld)
{
	int rc;

	if (access(c->cfg.db_path, F_OK) != 0 && errno == ENOENT) {
		printf("no database at '%s' to compare with\n", c->cfg.db_path);
		return 1;
	}
	rc = cli_open_store(c);
	if (rc < 0)
		return rc;
	rc = store_load_get(c->st, load_no, ld);
	if (rc == HG_ENOTFOUND) {
		printf("no load %lld in this database\n", load_no);
		return HG_ENOTFOUND;
	}
	return rc < 0 ? cli_store_error(c) : 0;
}

/* The first field of a genuine bottle-label QR that differs from the load of
 * record, or NULL when all match. */
static const char *label_differs(const struct label_fields *f, const struct load_rec *ld)
{
	if (strcmp(f->station, ld->station) != 0)
		return "station";
	if (strcmp(f->bottle, ld->bottle) != 0)
		return "bottle";
	if (f->t != ld->t.sampled)
		return "time";
	if (f->sampler != ld->sampled_by)
		return "sampler";
	return NULL;
}

/* A bottle label's QR (chain of custody): genuine, and the bottle of record? */
static int verify_label(struct cli *c, const uint8_t pk[KEY_PUBLIC], const char *text)
{
	static struct load_rec ld;
	struct label_fields f;
	const char *field;
	int rc;

	memset(&f, 0, sizeof f);
	rc = receipt_label_qr_verify(pk, text, &f);
	if (rc == HG_EREFUSED) {
		printf("not genuine: signature does not match\n");
		return HG_EREFUSED;
	}
	if (rc < 0) {
		printf("not a haulgate receipt or bottle label: not a signed haulgate QR text "
		       "(<base>?v=1&st=...&n=...&s=... or <base>?k=bottle&v=1&...&s=...)\n");
		return HG_EINVAL;
	}
	printf("genuine bottle label: station %s, load %lld, bottle %s, sampled by operator %lld\n",
	       f.station, f.load_no, f.bottle, f.sampler);
	rc = record_of(c, f.load_no, &ld);
	if (rc != 0)
		return rc > 0 ? 0 : rc;
	field = label_differs(&f, &ld);
	if (field) {
		printf("does not match the record: field %s differs\n", field);
		return HG_EREFUSED;
	}
	printf("matches the sample of load %lld of record\n", f.load_no);
	return 0;
}

int cmd_receipt_verify(struct cli *c, const struct cli_args *a)
{
	static struct load_rec ld;
	char text[QR_MAX + 2];	/* the text, its CR LF from stdin, NUL */
	uint8_t pk[KEY_PUBLIC];
	struct qr_fields f;
	const char *field = NULL;
	int rc;

	rc = receipt_text_arg(a->pos[0], text, sizeof text);
	if (rc < 0)
		return rc;
	rc = load_public(c, pk);
	if (rc < 0)
		return rc;
	memset(&f, 0, sizeof f);
	rc = receipt_qr_verify(pk, text, &f);
	if (rc == HG_EREFUSED) {
		printf("not genuine: signature does not match\n");
		return HG_EREFUSED;
	}
	if (rc < 0)
		return verify_label(c, pk, text);
	printf("genuine: station %s, load %lld, %ld gallons of %s\n",
	       f.station, f.load_no, f.gallons, f.waste);
	rc = record_of(c, f.load_no, &ld);
	if (rc != 0)
		return rc > 0 ? 0 : rc;
	if (!receipt_qr_matches(&f, &ld, &field)) {
		printf("does not match the record: field %s differs\n", field ? field : "?");
		return HG_EREFUSED;
	}
	printf("matches load %lld of record\n", f.load_no);
	return 0;
}
