/* test_potw_config.c: potw.ini (potw/potw_config.c).
 *
 * A table of [server] listen values, each taken or refused; then whole
 * files: the defaults, every key set, relative paths taken from the file's
 * folder, and every kind of error said with its line while the good keys
 * are still applied.  Start reading at main(). */
#include "testutil.h"

#include "../../potw/potw_config.h"
#include "../../core/report.h"

struct listen_case {
	const char *v;
	int rc;
	const char *host;
	int port;
};

static const struct listen_case listens[] = {
	{ "127.0.0.1:8443", HG_OK, "127.0.0.1", 8443 },
	{ "localhost:0", HG_OK, "localhost", 0 },		/* any free port */
	{ "0.0.0.0:443", HG_OK, "0.0.0.0", 443 },
	{ "[::1]:8443", HG_OK, "::1", 8443 },			/* IPv6 in brackets */
	{ "plant.example.org:65535", HG_OK, "plant.example.org", 65535 },
	{ "::1:8443", HG_EINVAL, NULL, 0 },			/* IPv6 without brackets */
	{ "127.0.0.1", HG_EINVAL, NULL, 0 },			/* no port */
	{ ":8443", HG_EINVAL, NULL, 0 },			/* no host */
	{ "127.0.0.1:65536", HG_EINVAL, NULL, 0 },		/* port too large */
	{ "127.0.0.1:-1", HG_EINVAL, NULL, 0 },
	{ "127.0.0.1:http", HG_EINVAL, NULL, 0 },		/* names are not ports */
	{ "[::1]8443", HG_EINVAL, NULL, 0 },
};

static void test_listen(void **state)
{
	char host[POTW_HOST];
	size_t i;
	int port, rc;

	(void)state;
	for (i = 0; i < HG_ARRAY_LEN(listens); i++) {
		const struct listen_case *c = &listens[i];

		host[0] = '\0';
		port = -2;
		rc = potw_config_listen(c->v, host, &port);
		if (rc != c->rc)
			fail_msg("'%s': rc %d (%s), expected %d", c->v, rc, hg_error_text(), c->rc);
		if (rc == HG_OK && (strcmp(host, c->host) || port != c->port))
			fail_msg("'%s': %s port %d", c->v, host, port);
	}
}

static char dir[256];

static void write_file(const char *name, const char *text, char *path, size_t cap)
{
	FILE *f;

	snprintf(path, cap, "%s/%s", dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void test_files(void **state)
{
	struct potw_config cfg;
	struct potw_config_errors errs;
	char path[400], want[400];

	(void)state;
	assert_int_equal(tu_tmpdir(dir, sizeof dir, "potwcfg"), 0);
	potw_config_defaults(&cfg);
	assert_string_equal(cfg.listen_host, "127.0.0.1");
	assert_int_equal(cfg.listen_port, POTW_DEFAULT_PORT);
	assert_string_equal(cfg.db, "var/potw.db");	/* the working folder's */
	assert_int_equal(cfg.threads, 4);
	assert_string_equal(cfg.name, "plant");

	write_file("good.ini", "; a comment\n[server]\nlisten = [::1]:9443\ndb = data/p.db\n"
		   "key = /etc/haulgate/potw.key\nthreads = 8\nname = city.plant-2\n[tls]\ncert = c.pem\nkey = k.pem\n",
		   path, sizeof path);
	potw_config_defaults(&cfg);
	assert_int_equal(potw_config_load(&cfg, path, &errs), HG_OK);
	assert_int_equal(errs.n, 0);
	assert_string_equal(cfg.listen_host, "::1");
	assert_int_equal(cfg.listen_port, 9443);
	snprintf(want, sizeof want, "%s/data/p.db", dir);	/* the file's folder */
	assert_string_equal(cfg.db, want);
	assert_string_equal(cfg.key, "/etc/haulgate/potw.key");	/* absolute: as given */
	assert_int_equal(cfg.threads, 8);
	assert_string_equal(cfg.name, "city.plant-2");
	snprintf(want, sizeof want, "%s/k.pem", dir);
	assert_string_equal(cfg.tls_key, want);
	snprintf(want, sizeof want, "%s/c.pem", dir);
	assert_string_equal(cfg.tls_cert, want);

	/* every fault said with its line; the good key after them still applied */
	write_file("bad.ini", "[server]\nlisten = nowhere\nthreads = 65\ncolour = blue\n"
		   "[tsl]\ncert = x\n[server]\nthreads = 2\nno equals sign\nname = a+b\n", path,
		   sizeof path);
	potw_config_defaults(&cfg);
	assert_int_equal(potw_config_load(&cfg, path, &errs), HG_EINVAL);
	assert_int_equal(errs.n, 6);
	assert_int_equal(errs.line[0], 2);
	assert_non_null(strstr(errs.msg[0], "[server] listen"));
	assert_int_equal(errs.line[1], 3);
	assert_non_null(strstr(errs.msg[1], "from 1 to 64"));
	assert_int_equal(errs.line[2], 4);
	assert_non_null(strstr(errs.msg[2], "unknown key 'colour'"));
	assert_int_equal(errs.line[3], 6);
	assert_non_null(strstr(errs.msg[3], "unknown section [tsl]"));
	assert_int_equal(errs.line[4], 10);	/* '+' would break the note key name */
	assert_non_null(strstr(errs.msg[4], "[server] name"));
	assert_int_equal(errs.line[5], 9);	/* inih's own, said last */
	assert_string_equal(cfg.name, "plant");
	assert_int_equal(cfg.threads, 2);
	assert_int_equal(cfg.listen_port, POTW_DEFAULT_PORT);	/* the bad value not taken */

	snprintf(path, sizeof path, "%s/missing.ini", dir);
	assert_int_equal(potw_config_load(&cfg, path, &errs), HG_EIO);
	assert_non_null(strstr(hg_error_text(), "missing.ini"));
	tu_rmtree(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_listen),
		cmocka_unit_test(test_files),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
