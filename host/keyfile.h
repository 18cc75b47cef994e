/* keyfile.h: the station's key files: the Ed25519 key pair and the PIN key
 * read from and written to disk (core/keys.h turns them into text and back).
 *
 * Every failure is said through hg_fail() (core/report.h), the file's path
 * first: read it with hg_error_text(). */
#ifndef HOST_KEYFILE_H
#define HOST_KEYFILE_H

#include "../core/keys.h"

/* Make a new key pair and write it: path (secret, mode 0600, created with
 * O_EXCL: an existing key is never overwritten, HG_EEXIST) and path.pub.
 * Fills kp's pair (not its PIN key) when kp is not NULL.  HG_OK or an
 * error. */
int keys_create(const char *path, struct keypair *kp);
/* Read the secret key (and derive the public) into kp's pair; kp's PIN key
 * is left as it was.  HG_ENOTFOUND, HG_ECORRUPT; HG_EIO also when the file is
 * open to group or others and cannot be made 0600. */
int keys_load(const char *path, struct keypair *kp);
/* Read only the public key from path.pub (or from path when it ends in
 * ".pub", or when path.pub does not exist and path holds the PEM). */
int keys_load_public(const char *path, uint8_t pk[KEY_PUBLIC]);

/* Make a new PIN key (32 random bytes) and write it to path: one line of
 * base64, mode 0600, created with O_EXCL (an existing one is never
 * overwritten: HG_EEXIST).  Fills pin[KEY_PIN] when not NULL. */
int keys_pin_create(const char *path, uint8_t pin[KEY_PIN]);
/* Write pin as the PIN key at path in place of the one there (or none):
 * written whole to path.new (mode 0600, synced), then renamed over path,
 * so a crash leaves the old key or the new one.  HG_OK, HG_EIO. */
int keys_pin_replace(const char *path, const uint8_t pin[KEY_PIN]);
/* Read the PIN key at path into kp->pin and set kp->has_pin.  HG_ENOTFOUND
 * (no such file), HG_ECORRUPT (not 32 bytes of base64), HG_EIO; kp->has_pin
 * is 0 after any failure.  A file open to group or others is made 0600 first
 * (HG_EIO when it cannot be). */
int keys_pin_load(const char *path, struct keypair *kp);

#endif
