/* cmd_user.h: an admin's changes of an account and of the stations, one
 * code for `haulgate-potw user disable|enable|passwd|role`, `station
 * add|retire` (potw/cmd_user.c, potw/main.c) and the admin's forms of the
 * pages (potw/page_users.c, potw/page_stations.c), which run it with a
 * cli_sink set: the same checks, the same words. */
#ifndef CMD_USER_H
#define CMD_USER_H

#include "potw_cli.h"
#include "store_users.h"

#define POTW_NEWPW_LEN 23	/* a made password: four groups of five, '-' between */

extern const struct cli_opt potw_user_opts_login[];	/* --login */
extern const struct cli_opt potw_user_opts_role[];	/* --login --role */

/* Change the account a names (--login; --role for POTW_USER_ROLE) as
 * actor at now: checked and refused with the command line's words
 * (cli_error(), cli_usage()), done with its staff log entry
 * (potw_users_change()), what was done said by cli_say().  For
 * POTW_USER_PASSWD a new password is made (about 99 bits from libsodium's
 * generator) and hashed; its text goes into newpw[POTW_NEWPW_LEN + 1] to
 * be shown once, never kept.  0, -1 or CLI_EUSAGE. */
int potw_user_change_run(struct potw_store *st, enum potw_user_change what,
			 const struct cli_args *a, const char *actor, hg_time now,
			 char newpw[POTW_NEWPW_LEN + 1]);

/* Is id a station id?  0, or -1 said with the command line's words. */
int potw_cli_station_id(const char *id);
/* Register station id named name with the Ed25519 public key of pem (the
 * text of 'haulgate keys --public-pem'), logged as actor at now; or retire
 * station id.  The command line's checks and words; cli_say() what was
 * done.  0, -1 or CLI_EUSAGE. */
int potw_station_add_run(struct potw_store *st, const char *id, const char *name,
			 const char *pem, const char *actor, hg_time now);
int potw_station_retire_run(struct potw_store *st, const char *id, const char *actor,
			    hg_time now);

/* The commands (potw/cmd_user.c). */
int potw_user_disable(struct potw *p, const struct cli_args *a);
int potw_user_enable(struct potw *p, const struct cli_args *a);
int potw_user_passwd(struct potw *p, const struct cli_args *a);
int potw_user_role(struct potw *p, const struct cli_args *a);

#endif
