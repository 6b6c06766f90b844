/* gq_craft.c - a test tool: write a bundle from a station to its county
 * that holds exactly the change records given, signed with the station's
 * own keys through the library, as a station PC in hostile hands could.
 * Built for make check only (never installed).
 *
 *   gq_craft --db STATION.db --out DIR [--number N] [--acks TEXT]
 *            [--oseq N] [--keep-number] [--format-version N]  < CHANGES
 *
 * CHANGES: one change a line, tab-separated key=value pairs:
 *   tbl=person row=<uuid> field=name text=张三      (or int=5, or null)
 *   origin=<uuid> oseq=N hlc=N user=<uuid or empty> village=<code>
 *   parents=<origin>:<oseq>:<same_field>,...
 * Defaults: origin the station's id, oseq counting up from --oseq (else
 * the station's next), hlc the station's clock counting up, user the
 * station's first user, village the station's. Lines starting with '#'
 * are ignored. The bundle number is --number, else the station's next;
 * the station then counts it as sent (unless --keep-number), so that its
 * later exports go on from there. --format-version N labels the bundle
 * with another format version (its header checksum made again), as an
 * older or newer program would. Prints the path of the bundle. */
#include "config.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "guanqing/auth.h"
#include "guanqing/bundle.h"
#include "guanqing/db.h"
#include "guanqing/err.h"
#include "guanqing/hlc.h"
#include "guanqing/keys.h"
#include "guanqing/merge.h"
#include "guanqing/strbuf.h"
#include "guanqing/sync.h"
#include "guanqing/wire.h"

static void die(const char *msg, const struct gq_err *e)
{
	fprintf(stderr, "gq_craft: %s%s%s\n", msg, e && e->msg[0] ? ": " : "",
		e ? e->msg : "");
	exit(2);
}

static void first_text(struct gq_db *db, const char *sql, const char *arg,
		       char *out, size_t size)
{
	sqlite3_stmt *st;

	out[0] = '\0';
	if (sqlite3_prepare_v2(db->h, sql, -1, &st, NULL) != SQLITE_OK)
		return;
	if (arg)
		sqlite3_bind_text(st, 1, arg, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
		snprintf(out, size, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
}

/* Parse "o:s:f,o:s:f" into c->parents. */
static void parse_parents(const char *text, struct change *c)
{
	const char *p = text;

	while (*p) {
		struct merge_parent *mp;
		size_t len = strcspn(p, ",");
		char item[128];
		char *c1, *c2;

		snprintf(item, sizeof(item), "%.*s", (int)len, p);
		c->parents = realloc(c->parents, (c->nparents + 1) * sizeof(*c->parents));
		if (!c->parents)
			abort();
		mp = &c->parents[c->nparents++];
		memset(mp, 0, sizeof(*mp));
		c1 = strchr(item, ':');
		c2 = c1 ? strchr(c1 + 1, ':') : NULL;
		if (!c1)
			die("a parent is origin:oseq[:same_field]", NULL);
		*c1 = '\0';
		snprintf(mp->origin, sizeof(mp->origin), "%.36s", item);
		mp->oseq = strtoll(c1 + 1, NULL, 10);
		mp->same_field = c2 ? atoi(c2 + 1) : 1;
		p += len;
		if (*p == ',')
			p++;
	}
}

int main(int argc, char **argv)
{
	const char *db_path = NULL, *out_dir = NULL, *acks = NULL;
	unsigned long long number = 0;
	long long oseq = -1;
	int have_number = 0;
	int keep_number = 0, i;
	struct gq_db *db = NULL;
	struct gq_err err;
	struct keys_own own;
	struct keys_public county;
	struct bundle_header h;
	struct bundle_writer *w = NULL;
	char county_id[40], text[KEYS_TEXT_MAX], first_user[40], path[4096];
	char name[BUNDLE_FILE_NAME_SIZE], line[1 << 16];
	struct strbuf rec = STRBUF_INIT;
	struct wire *wire = wire_new();
	int format_version = -1;
	hlc_t hlc;
	FILE *f;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--db") && i + 1 < argc)
			db_path = argv[++i];
		else if (!strcmp(argv[i], "--out") && i + 1 < argc)
			out_dir = argv[++i];
		else if (!strcmp(argv[i], "--number") && i + 1 < argc)
			{ number = strtoull(argv[++i], NULL, 10); have_number = 1; }
		else if (!strcmp(argv[i], "--acks") && i + 1 < argc)
			acks = argv[++i];
		else if (!strcmp(argv[i], "--oseq") && i + 1 < argc)
			oseq = strtoll(argv[++i], NULL, 10);
		else if (!strcmp(argv[i], "--keep-number"))
			keep_number = 1;
		else if (!strcmp(argv[i], "--format-version") && i + 1 < argc)
			format_version = atoi(argv[++i]);
		else
			die("usage: gq_craft --db STATION.db --out DIR [--number N] [--acks TEXT] [--oseq N] [--keep-number] [--format-version N] < CHANGES", NULL);
	}
	if (!db_path || !out_dir)
		die("--db and --out are needed", NULL);
	gq_err_clear(&err);
	if (keys_crypto_init(&err) != GQ_OK || db_open(db_path, 0, &db, &err) != GQ_OK)
		die("cannot open the station database", &err);
	/* The keys open only for a signed-in user (GUANQING_USER and
	 * GUANQING_PIN_FILE, as the command line reads them). */
	if (getenv("GUANQING_USER") && getenv("GUANQING_PIN_FILE") && auth_required(db)) {
		char uid[40], pin[64] = "";
		FILE *pf = fopen(getenv("GUANQING_PIN_FILE"), "r");
		enum auth_role role;

		if (!pf || !fgets(pin, sizeof(pin), pf))
			die("cannot read the PIN file", NULL);
		fclose(pf);
		pin[strcspn(pin, "\r\n")] = '\0';
		if (auth_find_user(db, getenv("GUANQING_USER"), uid, &role, &err) != GQ_OK ||
		    auth_sign_in(db, uid, pin, &role, &err) != GQ_OK)
			die("cannot sign in", &err);
	}
	if (sync_load_own_keys(db, &own, &err) != GQ_OK)
		die("cannot load the station's keys", &err);
	first_text(db, "SELECT id FROM peer WHERE role = 'county'", NULL, county_id, sizeof(county_id));
	first_text(db, "SELECT box_public FROM peer WHERE role = 'county'", NULL, text, sizeof(text));
	if (!county_id[0] || keys_from_text(KEYS_BOX_PUBLIC, text, county.box, "county", &err) != GQ_OK)
		die("the station knows no county", &err);
	first_text(db, "SELECT id FROM users WHERE origin = ?1 ORDER BY created_at, id LIMIT 1",
		   db->station_id, first_user, sizeof(first_user));
	if (!have_number) {
		first_text(db, "SELECT sent_number + 1 FROM peer WHERE role = 'county'", NULL, text,
			   sizeof(text));
		number = strtoull(text, NULL, 10);
	}
	if (oseq < 0)
		oseq = db_meta_get_int(db, "next_oseq", 1);
	hlc = hlc_current(db);

	bundle_header_init(&h);
	h.schema_version = DB_RECORDS_VERSION;
	snprintf(h.sender, sizeof(h.sender), "%.36s", db->station_id);
	snprintf(h.recipient, sizeof(h.recipient), "%.36s", county_id);
	h.number = (uint64_t)number;
	h.clock_wall_ms = (int64_t)(hlc >> 16);
	h.clock_hlc = hlc;
	if (!acks) {
		first_text(db, "SELECT 'received=' || recv_number || char(10) FROM peer WHERE role = 'county'",
			   NULL, text, sizeof(text));
		acks = text;
	}
	if (bundle_header_set_acks(&h, acks, strlen(acks), &err) != GQ_OK)
		die("bad acknowledgements", &err);
	bundle_file_name(db->station_id, h.number, name);
	snprintf(path, sizeof(path), "%s/%s", out_dir, name);
	f = fopen(path, "w+b");
	if (!f)
		die("cannot write the bundle", NULL);
	if (bundle_writer_open(&w, f, &h, &own, &county, path, &err) != GQ_OK)
		die("cannot start the bundle", &err);
	while (fgets(line, sizeof(line), stdin)) {
		struct change c;
		char *save = NULL, *tok;
		char *text_value = NULL;

		line[strcspn(line, "\n")] = '\0';
		if (!line[0] || line[0] == '#')
			continue;
		memset(&c, 0, sizeof(c));
		snprintf(c.origin, sizeof(c.origin), "%s", db->station_id);
		snprintf(c.user_id, sizeof(c.user_id), "%.36s", first_user);
		snprintf(c.village, sizeof(c.village), "%s", db->village);
		c.oseq = oseq;
		c.hlc = ++hlc;
		for (tok = strtok_r(line, "\t", &save); tok; tok = strtok_r(NULL, "\t", &save)) {
			char *eq = strchr(tok, '=');
			const char *v;

			if (!eq) {
				if (!strcmp(tok, "null"))
					c.value.type = VAL_NULL;
				else
					die("a change is key=value pairs", NULL);
				continue;
			}
			*eq = '\0';
			v = eq + 1;
			if (!strcmp(tok, "tbl"))
				snprintf(c.tbl, sizeof(c.tbl), "%s", v);
			else if (!strcmp(tok, "row"))
				snprintf(c.row_id, sizeof(c.row_id), "%s", v);
			else if (!strcmp(tok, "field"))
				snprintf(c.field, sizeof(c.field), "%s", v);
			else if (!strcmp(tok, "text")) {
				free(text_value);
				text_value = strdup(v);
				c.value.type = VAL_TEXT;
				c.value.s = text_value;
			} else if (!strcmp(tok, "int")) {
				c.value.type = VAL_INT;
				c.value.i = strtoll(v, NULL, 10);
			} else if (!strcmp(tok, "origin"))
				snprintf(c.origin, sizeof(c.origin), "%s", v);
			else if (!strcmp(tok, "oseq"))
				c.oseq = strtoll(v, NULL, 10);
			else if (!strcmp(tok, "hlc"))
				c.hlc = strtoll(v, NULL, 10);
			else if (!strcmp(tok, "user"))
				snprintf(c.user_id, sizeof(c.user_id), "%s", v);
			else if (!strcmp(tok, "village"))
				snprintf(c.village, sizeof(c.village), "%s", v);
			else if (!strcmp(tok, "parents"))
				parse_parents(v, &c);
			else
				die("unknown key in a change", NULL);
		}
		if (c.oseq == oseq)
			oseq++;
		strbuf_reset(&rec);
		wire_change_write(wire, &c, &rec);
		if (bundle_writer_add(w, rec.buf, rec.len, &err) != GQ_OK)
			die("cannot add a record", &err);
		free(text_value);
		free(c.parents);
	}
	if (bundle_writer_finish(w, &err) != GQ_OK)
		die("cannot finish the bundle", &err);
	bundle_writer_free(&w);
	wire_free(&wire);
	if (fflush(f) != 0)
		die("cannot write the bundle", NULL);
	/* A bundle as an older or newer program labels it: the version in
	 * the header, under a header checksum made again (the signature no
	 * longer matches, but the version is read before it). */
	if (format_version >= 0) {
		unsigned char hdr[168], sum[16];

		if (fseek(f, 0, SEEK_SET) != 0 || fread(hdr, 1, sizeof(hdr), f) != sizeof(hdr))
			die("cannot read the bundle back", NULL);
		hdr[8] = (unsigned char)(format_version & 0xFF);
		hdr[9] = (unsigned char)(format_version >> 8);
		crypto_generichash(sum, sizeof(sum), hdr, sizeof(hdr), NULL, 0);
		if (fseek(f, 0, SEEK_SET) != 0 || fwrite(hdr, 1, sizeof(hdr), f) != sizeof(hdr) ||
		    fwrite(sum, 1, sizeof(sum), f) != sizeof(sum))
			die("cannot write the bundle", NULL);
	}
	if (fclose(f) != 0)
		die("cannot write the bundle", NULL);
	if (!keep_number) {
		sqlite3_stmt *st;

		if (sqlite3_prepare_v2(db->h, "UPDATE peer SET sent_number = max(sent_number, ?1)"
				       " WHERE role = 'county'", -1, &st, NULL) == SQLITE_OK) {
			sqlite3_bind_int64(st, 1, (sqlite3_int64)number);
			sqlite3_step(st);
			sqlite3_finalize(st);
		}
		db_meta_set_int(db, "next_oseq", oseq > db_meta_get_int(db, "next_oseq", 1) ?
				oseq : db_meta_get_int(db, "next_oseq", 1), &err);
	}
	printf("%s\n", path);
	keys_release(&own);
	bundle_header_release(&h);
	strbuf_release(&rec);
	db_close(&db);
	return 0;
}
