/* test_merge.c - the merge engine: change records, idempotence, order
 * independence, concurrent edits, delete against edit, resolution, clock
 * clamping and the station scope check. Places are real databases in a
 * temporary folder; changes travel encoded, decoded and applied, as a
 * bundle would carry them. The clock is fixed at 2026-11-28T08:00:00Z. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "guanqing/change.h"
#include "guanqing/clock.h"
#include "guanqing/db.h"
#include "guanqing/dump.h"
#include "guanqing/err.h"
#include "guanqing/hlc.h"
#include "guanqing/merge.h"
#include "guanqing/query.h"
#include "guanqing/record.h"
#include "guanqing/station.h"
#include "guanqing/strbuf.h"
#include "guanqing/tables.h"
#include "guanqing/wire.h"

#define V1 "411524001001"	/* 东街社区 */
#define V2 "411524001002"	/* 南街社区 */

static struct gq_err e;
static char dir[64];
static int dbno;

#define OK(call)							\
	do {								\
		enum gq_status rc_;					\
		gq_err_clear(&e);					\
		rc_ = (call);						\
		if (rc_ != GQ_OK)					\
			fail_msg("%s failed: %s", #call, e.msg);	\
	} while (0)

#define REFUSED(call, code, piece)					\
	do {								\
		enum gq_status rc_;					\
		gq_err_clear(&e);					\
		rc_ = (call);						\
		assert_int_equal(rc_, (code));				\
		if (!strstr(e.msg, (piece)))				\
			fail_msg("%s: message \"%s\" lacks \"%s\"",	\
				 #call, e.msg, (piece));		\
	} while (0)

static int setup(void **state)
{
	int64_t ms;

	(void)state;
	setenv("TZ", "UTC", 1);
	tzset();
	if (clock_parse("2026-11-28T08:00:00Z", &ms) != 0)
		return -1;
	clock_set_fixed(ms);
	snprintf(dir, sizeof(dir), "/tmp/test_merge.XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

/* A new database: a county (village NULL, county 1), a station of village,
 * or a bare one (county 0, village NULL) that only receives. */
static struct gq_db *place(int county, const char *village)
{
	struct gq_db *db = NULL;
	char path[128];

	snprintf(path, sizeof(path), "%s/p%d.db", dir, ++dbno);
	OK(db_open(path, 1, &db, &e));
	if (county)
		OK(station_init_county(db, "411524", &e));
	else if (village)
		OK(station_init_village(db, village, &e));
	OK(merge_ensure_schema(db, &e));
	return db;
}

struct ship {
	struct gq_db *from, *to;
	struct merge_stats st;
	struct wire *enc, *again, *dec;	/* one bundle's string tables */
};

/* Encode from the sender's log, decode, apply: what a bundle does. */
static enum gq_status ship_one(void *ctx, int64_t seq, const struct change *c,
			       struct gq_err *err)
{
	struct ship *s = ctx;
	struct strbuf buf = STRBUF_INIT, again = STRBUF_INIT;
	struct change d;
	enum gq_status rc;

	rc = wire_change_encode(s->enc, s->from, seq, &buf, err);
	if (rc == GQ_OK)
		rc = wire_change_decode(s->dec, buf.buf, buf.len, &d, NULL, err);
	if (rc == GQ_OK) {
		/* what collect hands out encodes to the same bytes */
		wire_change_write(s->again, c, &again);
		assert_int_equal(again.len, buf.len);
		assert_memory_equal(again.buf, buf.buf, buf.len);
		rc = merge_apply(s->to, &d, &s->st, err);
	}
	merge_change_release(&d);
	strbuf_release(&buf);
	strbuf_release(&again);
	return rc;
}

/* Every change of from's log into to, in one transaction. */
static struct merge_stats ship(struct gq_db *from, struct gq_db *to)
{
	struct ship s;

	memset(&s, 0, sizeof(s));
	s.from = from;
	s.to = to;
	s.enc = wire_new();
	s.again = wire_new();
	s.dec = wire_new();
	OK(db_begin(to, &e));
	OK(merge_collect(from, 0, NULL, NULL, ship_one, &s, &e));
	OK(db_commit(to, &e));
	wire_free(&s.enc);
	wire_free(&s.again);
	wire_free(&s.dec);
	return s.st;
}

static char *dump(struct gq_db *db)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	OK(dump_canonical(db, f, &e));
	fclose(f);
	return buf;
}

/* The open conflicts, one line each, in a fixed order. */
static char *open_conflicts(struct gq_db *db, int *count)
{
	struct strbuf sb = STRBUF_INIT;
	sqlite3_stmt *st;
	int n = 0;

	assert_int_equal(sqlite3_prepare_v2(db->h,
		"SELECT kind, tbl, row_id, field, winner_origin, winner_oseq,"
		" quote(winner_value), loser_origin, loser_oseq, quote(loser_value)"
		" FROM conflict WHERE status = 'open' ORDER BY kind, tbl, row_id, field,"
		" loser_origin, loser_oseq", -1, &st, NULL), SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW) {
		int i;

		for (i = 0; i < 10; i++)
			strbuf_addf(&sb, "%s%s", i ? "|" : "",
				    (const char *)sqlite3_column_text(st, i));
		strbuf_addch(&sb, '\n');
		n++;
	}
	sqlite3_finalize(st);
	if (count)
		*count = n;
	return strbuf_detach(&sb, NULL);
}

static int64_t open_conflict_id(struct gq_db *db, const char *kind)
{
	sqlite3_stmt *st;
	int64_t id = 0;

	assert_int_equal(sqlite3_prepare_v2(db->h, "SELECT id FROM conflict WHERE"
		" status = 'open' AND kind = ?1", -1, &st, NULL), SQLITE_OK);
	sqlite3_bind_text(st, 1, kind, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		id = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return id;
}

static char *field_of(struct gq_db *db, const char *id, const char *field)
{
	struct record *r = NULL;
	char *v;

	OK(record_load(db, table_find("person"), id, &r, &e));
	v = record_get(r, field) ? strdup(record_get(r, field)) : NULL;
	record_free(&r);
	return v;
}

static void assert_same_dump(struct gq_db *a, struct gq_db *b)
{
	char *da = dump(a), *db_ = dump(b);

	assert_string_equal(da, db_);
	free(da);
	free(db_);
}

static void new_person(struct gq_db *db, const char *name, char *id)
{
	struct rec_value v[] = { { "name", name }, { "sex", "F" },
				 { "phone", "13800000000" } };

	OK(record_create(db, table_find("person"), v, 3, NULL, id, &e));
}

static void set_field(struct gq_db *db, const char *id, const char *field,
		      const char *text)
{
	struct rec_value v[] = { { field, text } };

	OK(record_update(db, table_find("person"), id, v, 1, &e));
}

/* ---- the record ------------------------------------------------------- */

/* Decode with the tables of a bundle whose records before were prev
 * (NULL: the first record). */
static enum gq_status decode_after(const struct strbuf *prev, const void *buf, size_t len,
				   struct change *d, size_t *used)
{
	struct wire *w = wire_new();
	enum gq_status rc = GQ_OK;
	struct change p;

	if (prev) {
		OK(wire_change_decode(w, prev->buf, prev->len, &p, NULL, &e));
		merge_change_release(&p);
	}
	rc = wire_change_decode(w, buf, len, d, used, &e);
	wire_free(&w);
	return rc;
}

static void test_record_roundtrip(void **state)
{
	struct merge_parent par[2] = { { "0b7e-aa", 3, 1 }, { "0b7e-bb", 70000, 0 } };
	struct change c, d;
	struct strbuf sb = STRBUF_INIT, second = STRBUF_INIT;
	struct wire *w = wire_new();
	size_t used, i;

	(void)state;
	memset(&c, 0, sizeof(c));
	strcpy(c.origin, "11111111-2222-4333-8444-555555555555");
	c.oseq = 300;
	c.hlc = hlc_make(1795852800000LL, 7);
	strcpy(c.tbl, "person");
	strcpy(c.row_id, "aaaaaaaa-2222-4333-8444-555555555555");
	strcpy(c.field, "name");
	c.value.type = VAL_TEXT;
	c.value.s = "王小明·阿依";
	c.parents = par;
	c.nparents = 2;
	strcpy(c.village, V1);
	wire_change_write(w, &c, &sb);
	OK(decode_after(NULL, sb.buf, sb.len, &d, NULL));
	assert_string_equal(d.origin, c.origin);
	assert_int_equal(d.oseq, 300);
	assert_int_equal(d.hlc, c.hlc);
	assert_string_equal(d.row_id, c.row_id);
	assert_string_equal(d.value.s, "王小明·阿依");
	assert_int_equal(d.nparents, 2);
	assert_string_equal(d.parents[0].origin, "0b7e-aa");
	assert_int_equal(d.parents[0].oseq, 3);
	assert_int_equal(d.parents[1].oseq, 70000);
	assert_int_equal(d.parents[1].same_field, 0);
	assert_string_equal(d.user_id, "");
	assert_string_equal(d.village, V1);
	merge_change_release(&d);

	/* The next change of the same row names its strings by number: a
	 * much shorter record, which only the tables of the bundle read. */
	c.oseq = 301;
	c.hlc++;
	strcpy(c.field, "address");
	c.value.s = "宋岗村第3组";
	c.nparents = 0;
	wire_change_write(w, &c, &second);
	/* Beside its two new strings (a name and a text, each a reference, a
	 * length and the bytes), a byte or two per part. */
	assert_true(second.len - (2 + strlen("address")) - (2 + strlen(c.value.s)) <= 12);
	OK(decode_after(&sb, second.buf, second.len, &d, NULL));
	assert_string_equal(d.origin, c.origin);
	assert_int_equal(d.oseq, 301);
	assert_int_equal(d.hlc, c.hlc);
	assert_string_equal(d.tbl, "person");
	assert_string_equal(d.row_id, c.row_id);
	assert_string_equal(d.field, "address");
	assert_string_equal(d.value.s, "宋岗村第3组");
	assert_string_equal(d.village, V1);
	merge_change_release(&d);
	REFUSED(decode_after(NULL, second.buf, second.len, &d, NULL), GQ_ECORRUPT,
		"not given before");
	merge_change_release(&d);
	strbuf_release(&second);
	wire_free(&w);

	/* Every shorter prefix is refused, and so is one byte too many. */
	for (i = 0; i < sb.len; i++) {
		assert_int_equal(decode_after(NULL, sb.buf, i, &d, NULL), GQ_ECORRUPT);
		merge_change_release(&d);
	}
	strbuf_addch(&sb, 0);
	REFUSED(decode_after(NULL, sb.buf, sb.len, &d, NULL), GQ_ECORRUPT, "extra bytes");
	merge_change_release(&d);
	/* With used, the next record may follow. */
	OK(decode_after(NULL, sb.buf, sb.len, &d, &used));
	assert_int_equal(used, sb.len - 1);
	merge_change_release(&d);

	/* A record of format 1 (0x43) or another kind. */
	sb.buf[0] = 0x43;
	REFUSED(decode_after(NULL, sb.buf, sb.len - 1, &d, NULL), GQ_ECORRUPT, "not a change");
	merge_change_release(&d);
	strbuf_release(&sb);
	/* An origin out of its alphabet, given as text. */
	strbuf_add(&sb, "\x44\x00\x04" "0b7X", 7);
	REFUSED(decode_after(NULL, sb.buf, sb.len, &d, NULL), GQ_ECORRUPT, "bad origin");
	merge_change_release(&d);
	strbuf_reset(&sb);
	/* A number not in its shortest form: oseq 300 (zigzag 600 = 0xD8 0x04)
	 * written as 0xD8 0x84 0x00. */
	strbuf_add(&sb, "\x44\x00\x04" "0b7e" "\xD8\x84\x00", 10);
	REFUSED(decode_after(NULL, sb.buf, sb.len, &d, NULL), GQ_ECORRUPT, "shortest form");
	merge_change_release(&d);
	strbuf_reset(&sb);
	/* An oseq of 0 (a difference of 0 from nothing). */
	strbuf_add(&sb, "\x44\x00\x04" "0b7e" "\x00", 8);
	REFUSED(decode_after(NULL, sb.buf, sb.len, &d, NULL), GQ_ECORRUPT, "sequence number");
	merge_change_release(&d);
	strbuf_release(&sb);

	/* An integer, a NULL, a long text, a reference. */
	c.value.type = VAL_INT;
	c.value.i = -5;
	w = wire_new();
	wire_change_write(w, &c, &sb);
	wire_free(&w);
	OK(decode_after(NULL, sb.buf, sb.len, &d, NULL));
	assert_int_equal(d.value.type, VAL_INT);
	assert_int_equal(d.value.i, -5);
	merge_change_release(&d);
	strbuf_reset(&sb);
	c.value.type = VAL_NULL;
	w = wire_new();
	wire_change_write(w, &c, &sb);
	wire_free(&w);
	OK(decode_after(NULL, sb.buf, sb.len, &d, NULL));
	assert_int_equal(d.value.type, VAL_NULL);
	merge_change_release(&d);
	strbuf_reset(&sb);
	c.value.type = VAL_TEXT;
	c.value.s = "{\"visit_kind\":\"home\",\"school\":\"双椿铺镇中心小学\",\"health\":\"good\",\"mood\":\"calm\"}";
	w = wire_new();
	wire_change_write(w, &c, &sb);
	wire_free(&w);
	OK(decode_after(NULL, sb.buf, sb.len, &d, NULL));
	assert_string_equal(d.value.s, c.value.s);
	merge_change_release(&d);
	strbuf_reset(&sb);
	c.value.s = "bbbbbbbb-2222-4333-8444-555555555555";
	w = wire_new();
	wire_change_write(w, &c, &sb);
	wire_free(&w);
	OK(decode_after(NULL, sb.buf, sb.len, &d, NULL));
	assert_string_equal(d.value.s, c.value.s);
	merge_change_release(&d);
	strbuf_release(&sb);
	/* Empty input. */
	REFUSED(decode_after(NULL, "", 0, &d, NULL), GQ_ECORRUPT, "ends too early");
	merge_change_release(&d);
}

/* ---- merging ---------------------------------------------------------- */

static void test_idempotent(void **state)
{
	struct gq_db *a = place(0, V1), *c = place(1, NULL);
	struct merge_stats st;
	char id[40], *d1, *d2;
	int n;

	(void)state;
	new_person(a, "李秀英", id);
	st = ship(a, c);
	assert_true(st.applied > 0);
	assert_int_equal(st.duplicates, 0);
	d1 = dump(c);
	assert_non_null(strstr(d1, "李秀英"));
	st = ship(a, c);
	assert_int_equal(st.applied, 0);
	assert_true(st.duplicates > 0);
	d2 = dump(c);
	assert_string_equal(d1, d2);
	free(d2);
	free(open_conflicts(c, &n));
	assert_int_equal(n, 0);
	/* The person arrived whole, with A as its origin. */
	d2 = field_of(c, id, "phone");
	assert_string_equal(d2, "13800000000");
	free(d2);
	assert_non_null(strstr(d1, id));
	assert_non_null(strstr(strstr(d1, id), a->station_id));
	free(d1);
	db_close(&a);
	db_close(&c);
}

/* Two places edit the same field of the same person. */
static void test_concurrent_edit(void **state)
{
	struct gq_db *a = place(0, V1), *c = place(1, NULL);
	char id[40], *ca, *cc, *pa, *pc;
	int na, nc;
	int64_t cid;

	(void)state;
	new_person(a, "张桂兰", id);
	ship(a, c);
	set_field(a, id, "phone", "13811112222");
	set_field(c, id, "phone", "13933334444");
	ship(a, c);
	ship(c, a);
	ca = open_conflicts(a, &na);
	cc = open_conflicts(c, &nc);
	assert_int_equal(na, 1);
	assert_int_equal(nc, 1);
	assert_string_equal(ca, cc);
	/* both values kept */
	assert_non_null(strstr(ca, "13811112222"));
	assert_non_null(strstr(ca, "13933334444"));
	pa = field_of(a, id, "phone");
	pc = field_of(c, id, "phone");
	assert_string_equal(pa, pc);
	assert_same_dump(a, c);
	free(pa);
	free(pc);
	free(ca);
	free(cc);

	/* The county keeps the loser's value; the decision travels back. */
	cid = open_conflict_id(c, "concurrent_edit");
	assert_true(cid > 0);
	{
		sqlite3_stmt *st;
		char loser[40], lval[40];

		assert_int_equal(sqlite3_prepare_v2(c->h, "SELECT loser_origin, loser_value"
			" FROM conflict WHERE id = ?1", -1, &st, NULL), SQLITE_OK);
		sqlite3_bind_int64(st, 1, cid);
		assert_int_equal(sqlite3_step(st), SQLITE_ROW);
		snprintf(loser, sizeof(loser), "%s", sqlite3_column_text(st, 0));
		snprintf(lval, sizeof(lval), "%s", sqlite3_column_text(st, 1));
		sqlite3_finalize(st);
		OK(merge_resolve(c, cid, NULL, loser, &e));
		REFUSED(merge_resolve(c, cid, "x", NULL, &e), GQ_EINVAL, "already resolved");
		free(open_conflicts(c, &nc));
		assert_int_equal(nc, 0);
		pc = field_of(c, id, "phone");
		assert_string_equal(pc, lval);
		free(pc);
		ship(c, a);
		free(open_conflicts(a, &na));
		assert_int_equal(na, 0);
		pa = field_of(a, id, "phone");
		assert_string_equal(pa, lval);
		free(pa);
		assert_same_dump(a, c);
	}
	db_close(&a);
	db_close(&c);
}

/* A tombstone at one place, an edit it did not see at another. */
static void test_delete_edit(void **state)
{
	struct gq_db *a = place(0, V1), *c = place(1, NULL);
	char id[40], *ca, *cc;
	int na, nc;
	int64_t cid;

	(void)state;
	new_person(a, "赵国强", id);
	ship(a, c);
	OK(record_delete(a, table_find("person"), id, &e));
	set_field(c, id, "address", "东街12号");
	ship(a, c);
	ship(c, a);
	ca = open_conflicts(a, &na);
	cc = open_conflicts(c, &nc);
	assert_int_equal(na, 1);
	assert_int_equal(nc, 1);
	assert_string_equal(ca, cc);
	assert_non_null(strstr(ca, "delete_edit|person|"));
	assert_non_null(strstr(ca, "|address|"));
	assert_same_dump(a, c);
	free(ca);
	free(cc);

	/* The county restores the person; the station follows. */
	cid = open_conflict_id(c, "delete_edit");
	OK(merge_resolve(c, cid, "0", NULL, &e));
	ship(c, a);
	free(open_conflicts(a, &na));
	free(open_conflicts(c, &nc));
	assert_int_equal(na, 0);
	assert_int_equal(nc, 0);
	assert_same_dump(a, c);
	{
		struct record *r = NULL;

		OK(record_load(a, table_find("person"), id, &r, &e));
		assert_int_equal(r->deleted, 0);
		assert_string_equal(record_get(r, "address"), "东街12号");
		record_free(&r);
	}
	db_close(&a);
	db_close(&c);
}

/* Everything from both places, in many orders, some twice. */
struct blobs {
	struct strbuf *v;
	size_t n;
};

static enum gq_status keep_blob(void *ctx, int64_t seq, const struct change *c,
				struct gq_err *err)
{
	struct blobs *b = ctx;
	struct strbuf init = STRBUF_INIT;

	(void)seq;
	(void)err;
	b->v = realloc(b->v, (b->n + 1) * sizeof(*b->v));
	assert_non_null(b->v);
	b->v[b->n] = init;
	{
		/* Each record on its own (the first of a bundle), so that the
		 * records may be applied in any order. */
		struct wire *w = wire_new();

		wire_change_write(w, c, &b->v[b->n++]);
		wire_free(&w);
	}
	return GQ_OK;
}

static uint32_t rnd(uint64_t *s)
{
	*s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
	return (uint32_t)(*s >> 33);
}

static void test_order_independent(void **state)
{
	struct gq_db *a = place(0, V1), *c = place(1, NULL);
	struct blobs b = { NULL, 0 };
	char p1[40], p2[40], p3[40], *first_dump = NULL, *first_conf = NULL;
	size_t *order, i;
	int seed, n;

	(void)state;
	new_person(a, "王芳", p1);
	new_person(a, "刘伟", p2);
	new_person(a, "陈静", p3);
	ship(a, c);
	/* concurrent edits of two fields, a delete against an edit, plain
	 * edits on both sides, and a person the county never saw edited */
	set_field(a, p1, "phone", "13811110001");
	set_field(c, p1, "phone", "13922220002");
	set_field(a, p1, "address", "南湖村一组");
	set_field(c, p1, "address", "南湖村二组");
	set_field(a, p1, "address", "南湖村三组");
	OK(record_delete(a, table_find("person"), p2, &e));
	set_field(c, p2, "notes", "已外出务工");
	set_field(c, p3, "sex", "M");
	set_field(a, p3, "birth_date", "1950-03-04");
	ship(a, c);
	ship(c, a);
	assert_same_dump(a, c);
	first_conf = open_conflicts(c, &n);
	assert_int_equal(n, 3);

	OK(merge_collect(a, 0, NULL, NULL, keep_blob, &b, &e));
	OK(merge_collect(c, 0, NULL, NULL, keep_blob, &b, &e));
	order = calloc(b.n, sizeof(*order));
	for (seed = 1; seed <= 12; seed++) {
		uint64_t s = (uint64_t)seed;
		struct gq_db *x = place(0, NULL);
		struct merge_stats st;
		char *d, *cf;

		memset(&st, 0, sizeof(st));
		for (i = 0; i < b.n; i++)
			order[i] = i;
		for (i = b.n; i > 1; i--) {
			size_t j = rnd(&s) % i, t = order[i - 1];

			order[i - 1] = order[j];
			order[j] = t;
		}
		OK(db_begin(x, &e));
		for (i = 0; i < b.n; i++) {
			int twice = rnd(&s) % 4 == 0, k;

			for (k = 0; k <= twice; k++) {
				struct change ch;

				OK(decode_after(NULL, b.v[order[i]].buf, b.v[order[i]].len,
						  &ch, NULL));
				OK(merge_apply(x, &ch, &st, &e));
				merge_change_release(&ch);
			}
		}
		OK(db_commit(x, &e));
		d = dump(x);
		cf = open_conflicts(x, NULL);
		if (!first_dump)
			first_dump = dump(c);
		assert_string_equal(d, first_dump);
		assert_string_equal(cf, first_conf);
		free(d);
		free(cf);
		db_close(&x);
	}
	for (i = 0; i < b.n; i++)
		strbuf_release(&b.v[i]);
	free(b.v);
	free(order);
	free(first_dump);
	free(first_conf);
	db_close(&a);
	db_close(&c);
}

static void make_change(struct change *c, const char *origin, int64_t oseq,
			hlc_t hlc, const char *tbl, const char *row, const char *field,
			const char *text, const char *village)
{
	memset(c, 0, sizeof(*c));
	snprintf(c->origin, sizeof(c->origin), "%s", origin);
	c->oseq = oseq;
	c->hlc = hlc;
	snprintf(c->tbl, sizeof(c->tbl), "%s", tbl);
	snprintf(c->row_id, sizeof(c->row_id), "%s", row);
	snprintf(c->field, sizeof(c->field), "%s", field);
	c->value.type = text ? VAL_TEXT : VAL_NULL;
	c->value.s = text;
	snprintf(c->village, sizeof(c->village), "%s", village ? village : "");
}

static void test_clock_clamped(void **state)
{
	struct gq_db *c = place(1, NULL);
	struct merge_stats st;
	struct change ch;
	int64_t now = clock_now_ms();
	hlc_t far = hlc_make(now + 48LL * 3600 * 1000, 0);

	(void)state;
	memset(&st, 0, sizeof(st));
	make_change(&ch, "00000000-0000-4000-8000-0000000000a1", 1, far, "person",
		    "00000000-0000-4000-8000-0000000000b1", "created_at",
		    "2028-11-30T08:00:00.000Z", V1);
	OK(db_begin(c, &e));
	OK(merge_apply(c, &ch, &st, &e));
	OK(db_commit(c, &e));
	assert_int_equal(st.clamped, 1);
	assert_int_equal(st.max_hlc, far);
	assert_true(HLC_MS(hlc_current(c)) <= now + HLC_MAX_AHEAD_MS + 1);
	assert_true(HLC_MS(hlc_current(c)) >= now + HLC_MAX_AHEAD_MS - 1);
	/* The 2000-01-01 of a dead CMOS battery moves nothing. */
	memset(&st, 0, sizeof(st));
	make_change(&ch, "00000000-0000-4000-8000-0000000000a1", 2, hlc_make(946684800000LL, 0),
		    "person", "00000000-0000-4000-8000-0000000000b1", "name", "周敏", V1);
	OK(db_begin(c, &e));
	OK(merge_apply(c, &ch, &st, &e));
	OK(db_commit(c, &e));
	assert_int_equal(st.clamped, 0);
	db_close(&c);
}

static void test_refused(void **state)
{
	struct gq_db *a = place(0, V1), *c = place(1, NULL);
	struct change ch;
	struct strbuf sb = STRBUF_INIT;
	char id[40];
	int64_t seq;
	sqlite3_stmt *st;

	(void)state;
	new_person(a, "孙丽", id);
	set_field(a, id, "notes", "独居老人");
	ship(a, c);
	/* A's last change: its own village's person. */
	assert_int_equal(sqlite3_prepare_v2(a->h, "SELECT max(seq) FROM change_log", -1,
					    &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	seq = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	{
		struct wire *w = wire_new();

		OK(wire_change_encode(w, a, seq, &sb, &e));
		wire_free(&w);
	}
	OK(decode_after(NULL, sb.buf, sb.len, &ch, NULL));
	OK(merge_change_allowed(c, a->station_id, V1, &ch, &e));
	/* the station of another village may not send it */
	REFUSED(merge_change_allowed(c, a->station_id, V2, &ch, &e), GQ_EPERM, "belongs to village " V1);
	/* even claiming the change is of its own village */
	snprintf(ch.village, sizeof(ch.village), "%s", V2);
	REFUSED(merge_change_allowed(c, a->station_id, V2, &ch, &e), GQ_EPERM, V1);
	merge_change_release(&ch);
	strbuf_release(&sb);

	/* a county-only field */
	make_change(&ch, a->station_id, 99, hlc_current(a), "application",
		    "00000000-0000-4000-8000-0000000000c1", "status", "granted", V1);
	REFUSED(merge_change_allowed(c, a->station_id, V1, &ch, &e), GQ_EPERM, "decided by the county");
	/* moving a row to another village */
	make_change(&ch, a->station_id, 99, hlc_current(a), "person",
		    "00000000-0000-4000-8000-0000000000c2", "village", V2, V1);
	REFUSED(merge_change_allowed(c, a->station_id, V1, &ch, &e), GQ_EPERM, "another village");

	/* unknown table and field, wrong type, a reused number */
	OK(db_begin(c, &e));
	make_change(&ch, a->station_id, 99, 1, "sqlite_master", id, "name", "x", V1);
	REFUSED(merge_apply(c, &ch, NULL, &e), GQ_EINVAL, "sqlite_master");
	make_change(&ch, a->station_id, 99, 1, "person", id, "name; DROP TABLE person", "x", V1);
	REFUSED(merge_apply(c, &ch, NULL, &e), GQ_EINVAL, "DROP");
	make_change(&ch, a->station_id, 99, 1, "person", id, "deleted", "1", V1);
	REFUSED(merge_apply(c, &ch, NULL, &e), GQ_EINVAL, "wrong type");
	make_change(&ch, a->station_id, 1, 1, "person", id, "name", "冒名", V1);
	REFUSED(merge_apply(c, &ch, NULL, &e), GQ_ECORRUPT, "other content");
	db_rollback(c);
	db_close(&a);
	db_close(&c);
}

/* A change that arrives before the row's creation waits for it. */
static void test_field_before_row(void **state)
{
	struct gq_db *a = place(0, V1), *c = place(1, NULL);
	struct blobs b = { NULL, 0 };
	char id[40];
	size_t i;

	(void)state;
	new_person(a, "吴晓东", id);
	set_field(a, id, "name", "吴小东");
	OK(merge_collect(a, 0, NULL, NULL, keep_blob, &b, &e));
	OK(db_begin(c, &e));
	for (i = b.n; i-- > 0;) {
		struct change ch;

		OK(decode_after(NULL, b.v[i].buf, b.v[i].len, &ch, NULL));
		OK(merge_apply(c, &ch, NULL, &e));
		merge_change_release(&ch);
	}
	OK(db_commit(c, &e));
	{
		char *v = field_of(c, id, "name");

		assert_string_equal(v, "吴小东");
		free(v);
	}
	for (i = 0; i < b.n; i++)
		strbuf_release(&b.v[i]);
	free(b.v);
	db_close(&a);
	db_close(&c);
}

struct counter {
	int n, other;
	const char *village;
};

static enum gq_status count_change(void *ctx, int64_t seq, const struct change *c,
				   struct gq_err *err)
{
	struct counter *k = ctx;

	(void)seq;
	(void)err;
	k->n++;
	if (strcmp(c->village, k->village))
		k->other++;
	return GQ_OK;
}

/* Three places: the county's return to a station carries only that
 * village's changes; a typed value settles a conflict; a local edit
 * made while a conflict is open is taken in by merge_refresh_row(). */
static void test_three_places(void **state)
{
	struct gq_db *a = place(0, V1), *b = place(0, V2), *c = place(1, NULL);
	struct counter k = { 0, 0, V2 };
	char pa[40], pb[40], *v;
	int n;
	int64_t cid;

	(void)state;
	new_person(a, "郑红梅", pa);
	new_person(b, "何建国", pb);
	ship(a, c);
	ship(b, c);
	OK(merge_collect(c, 0, V2, NULL, count_change, &k, &e));
	assert_true(k.n > 0);
	assert_int_equal(k.other, 0);

	set_field(a, pa, "notes", "腿脚不便");
	set_field(c, pa, "notes", "需要助餐");
	ship(a, c);
	ship(c, a);
	free(open_conflicts(c, &n));
	assert_int_equal(n, 1);
	/* a local edit at A while the conflict is open */
	set_field(a, pa, "notes", "腿脚不便，需要助餐");
	OK(db_begin(a, &e));
	OK(merge_refresh_row(a, "person", pa, &e));
	OK(db_commit(a, &e));
	ship(a, c);
	free(open_conflicts(a, &n));
	assert_int_equal(n, 1);
	{
		char *ca = open_conflicts(a, NULL), *cc = open_conflicts(c, NULL);

		assert_string_equal(ca, cc);
		free(ca);
		free(cc);
	}
	assert_same_dump(a, c);
	cid = open_conflict_id(c, "concurrent_edit");
	REFUSED(merge_resolve(c, cid, "x", "y", &e), GQ_EUSAGE, "either");
	OK(merge_resolve(c, cid, "独居，需要助餐", NULL, &e));
	ship(c, a);
	free(open_conflicts(a, &n));
	assert_int_equal(n, 0);
	v = field_of(a, pa, "notes");
	assert_string_equal(v, "独居，需要助餐");
	free(v);
	assert_same_dump(a, c);
	db_close(&a);
	db_close(&b);
	db_close(&c);
}

/* ---- the rules across fields of a run of changes ------------------------ */

/* A valid ID number from its first 17 digits. */
/* ---- runs: a row's creation as one log entry ---------------------------- */

/* One number from SQL with one text parameter. */
static int64_t count_of(struct gq_db *db, const char *sql, const char *arg)
{
	sqlite3_stmt *st;
	int64_t n = -1;

	assert_int_equal(sqlite3_prepare_v2(db->h, sql, -1, &st, NULL), SQLITE_OK);
	if (arg)
		sqlite3_bind_text(st, 1, arg, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

/* The changes of row id as the log gives them, one line each, without
 * the seq, which is each place's own. */
static char *changes_of(struct gq_db *db, const char *id)
{
	struct strbuf sb = STRBUF_INIT;
	sqlite3_stmt *st;

	assert_int_equal(sqlite3_prepare_v2(db->h, "SELECT origin, oseq, hlc, tbl, field,"
		" quote(value), parents, quote(user_id), village FROM change_log WHERE row_id = ?1"
		" ORDER BY origin, oseq", -1, &st, NULL), SQLITE_OK);
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	while (sqlite3_step(st) == SQLITE_ROW) {
		int i;

		for (i = 0; i < 9; i++)
			strbuf_addf(&sb, "%s%s", i ? "|" : "",
				    (const char *)sqlite3_column_text(st, i));
		strbuf_addch(&sb, '\n');
	}
	sqlite3_finalize(st);
	return strbuf_detach(&sb, NULL);
}

/* What check says of db (malloc'ed) and its number of problems. */
static char *check_of(struct gq_db *db, int *problems)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	*problems = -1;
	OK(dump_check(db, f, problems, &e));
	fclose(f);
	return buf;
}

static int problems_of(struct gq_db *db)
{
	int problems;
	char *buf = check_of(db, &problems);

	if (problems)
		print_message("%s", buf);
	free(buf);
	return problems;
}

/* a and c read the same log of row id, and once c's changes are back
 * at a, the same records; check passes at both. */
static void assert_same_places(struct gq_db *a, struct gq_db *c, const char *id)
{
	char *la = changes_of(a, id), *lc = changes_of(c, id);

	assert_string_equal(la, lc);
	free(la);
	free(lc);
	ship(c, a);
	assert_same_dump(a, c);
	assert_int_equal(problems_of(a), 0);
	assert_int_equal(problems_of(c), 0);
}

#define ENTRIES_OF "SELECT count(*) FROM log_entry e JOIN log_key k ON k.n = e.row_n WHERE k.key = ?1"
#define CHANGES_OF "SELECT count(*) FROM change_log WHERE row_id = ?1"

/* Every change of from's log, decoded in order, for applying in another. */
struct taken {
	struct wire *enc, *dec;
	struct gq_db *from;
	struct change v[64];
	size_t n;
};

static enum gq_status take_one(void *ctx, int64_t seq, const struct change *c,
			       struct gq_err *err)
{
	struct taken *t = ctx;
	struct strbuf buf = STRBUF_INIT;
	enum gq_status rc;

	(void)c;
	assert_true(t->n < sizeof(t->v) / sizeof(t->v[0]));
	rc = wire_change_encode(t->enc, t->from, seq, &buf, err);
	if (rc == GQ_OK)
		rc = wire_change_decode(t->dec, buf.buf, buf.len, &t->v[t->n++], NULL, err);
	strbuf_release(&buf);
	return rc;
}

/* A change is known by its origin and number whatever order they come
 * in: one numbered below what its origin has logged may still be new, one
 * taken earlier in the same transaction is a duplicate, and what a
 * rolled-back transaction took is gone. */
static void test_known_any_order(void **state)
{
	struct gq_db *a = place(0, V1), *c = place(0, NULL);
	struct merge_stats st;
	struct taken t;
	struct change bad;
	char id1[40], id2[40], *d1, *d2;
	size_t i, half;

	(void)state;
	new_person(a, "王桂兰", id1);
	half = (size_t)count_of(a, CHANGES_OF, id1);
	new_person(a, "赵德明", id2);
	memset(&t, 0, sizeof(t));
	t.from = a;
	t.enc = wire_new();
	t.dec = wire_new();
	OK(merge_collect(a, 0, NULL, NULL, take_one, &t, &e));
	assert_true(t.n > half);
	assert_int_equal(t.v[half].oseq, t.v[half - 1].oseq + 1);

	/* What a rolled-back transaction took is not known after. */
	OK(db_begin(c, &e));
	memset(&st, 0, sizeof(st));
	for (i = half; i < t.n; i++)
		OK(merge_apply(c, &t.v[i], &st, &e));
	assert_int_equal(merge_change_known(c, &t.v[t.n - 1]), 1);
	db_rollback(c);
	OK(db_begin(c, &e));
	assert_int_equal(merge_change_known(c, &t.v[t.n - 1]), 0);

	/* The second person first, then the first, numbered below. */
	memset(&st, 0, sizeof(st));
	for (i = half; i < t.n; i++)
		OK(merge_apply(c, &t.v[i], &st, &e));
	assert_int_equal(merge_change_known(c, &t.v[0]), 0);
	for (i = 0; i < half; i++)
		OK(merge_apply(c, &t.v[i], &st, &e));
	assert_int_equal(st.applied, (int64_t)t.n);
	assert_int_equal(st.duplicates, 0);
	/* again, in the same transaction: each a duplicate */
	for (i = 0; i < t.n; i++) {
		assert_int_equal(merge_change_known(c, &t.v[i]), 1);
		OK(merge_apply(c, &t.v[i], &st, &e));
	}
	assert_int_equal(st.applied, (int64_t)t.n);
	assert_int_equal(st.duplicates, (int64_t)t.n);
	/* the same number with other content is refused */
	bad = t.v[1];
	bad.value.type = VAL_TEXT;
	bad.value.s = "张冠李戴";
	assert_int_equal(merge_change_known(c, &bad), -1);
	REFUSED(merge_apply(c, &bad, &st, &e), GQ_ECORRUPT, "other content");
	OK(db_commit(c, &e));
	d1 = field_of(c, id1, "name");
	assert_string_equal(d1, "王桂兰");
	free(d1);
	d1 = dump(a);
	d2 = dump(c);
	assert_string_equal(d1, d2);
	free(d1);
	free(d2);
	for (i = 0; i < t.n; i++)
		merge_change_release(&t.v[i]);
	wire_free(&t.enc);
	wire_free(&t.dec);
	db_close(&a);
	db_close(&c);
}

/* A run's value read in C gives what SQLite's JSON reading gives, and
 * anything but an array of integers, strings and nulls is refused. */
static void test_run_values(void **state)
{
	struct strbuf store = STRBUF_INIT;
	struct val v[LOG_RUN_MAX + 1];
	struct gq_db *a = place(0, V1);
	sqlite3_stmt *st, *each;
	char id[40], big[4 * (LOG_RUN_MAX + 1) + 2];
	size_t i;
	int n, runs = 0;
	static const char *const refused[] = {
		"", "[", "[1,]", "[1 2]", "[1.5]", "[1e3]", "[01]", "[-]", "[true]",
		"[\"a]", "[\"\\x\"]", "[\"\\u0000\"]", "[\"\\udc00\"]", "[\"\\ud800x\"]",
		"[\"\xff\"]", "[\"a\nb\"]", "[9223372036854775808]", "{}", "[1] x",
	};

	(void)state;
	n = change_run_values("[ 7, -9223372036854775808, null, \"王秀\\\"英\\\\\","
			      " \"\\u4e2d\\ud83d\\ude00\\n\" ]", strlen("[ 7, -9223372036854775808, null,"
			      " \"王秀\\\"英\\\\\", \"\\u4e2d\\ud83d\\ude00\\n\" ]"), v, LOG_RUN_MAX, &store);
	assert_int_equal(n, 5);
	assert_int_equal(v[0].type, VAL_INT);
	assert_int_equal(v[0].i, 7);
	assert_int_equal(v[1].type, VAL_INT);
	assert_true(v[1].i == INT64_MIN);
	assert_int_equal(v[2].type, VAL_NULL);
	assert_int_equal(v[3].type, VAL_TEXT);
	assert_string_equal(v[3].s, "王秀\"英\\");
	assert_string_equal(v[4].s, "中\xf0\x9f\x98\x80\n");
	assert_int_equal(change_run_values("[]", 2, v, LOG_RUN_MAX, &store), 0);
	for (i = 0; i < sizeof(refused) / sizeof(refused[0]); i++)
		if (change_run_values(refused[i], strlen(refused[i]), v, LOG_RUN_MAX, &store) != -1)
			fail_msg("%s was read as a run's value", refused[i]);
	/* more members than asked for */
	strcpy(big, "[");
	for (i = 0; i <= LOG_RUN_MAX; i++)
		strcat(big, i ? ",1" : "1");
	strcat(big, "]");
	assert_int_equal(change_run_values(big, strlen(big), v, LOG_RUN_MAX, &store), -1);

	/* Every run the log wrote, against json_each(). */
	{
		struct rec_value pv[] = { { "name", "欧阳小明" }, { "sex", "M" },
					  { "phone", "13800000001" },
					  { "notes", "说\"好\"的\\第一行\n第二行\t😀" } };

		OK(record_create(a, table_find("person"), pv, 4, NULL, id, &e));
	}
	new_person(a, "李秀英", id);
	assert_int_equal(sqlite3_prepare_v2(a->h, "SELECT value FROM log_entry WHERE shape_n IS NOT NULL",
					    -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(a->h, "SELECT type, value FROM json_each(?1) ORDER BY key",
					    -1, &each, NULL), SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *json = (const char *)sqlite3_column_text(st, 0);

		n = change_run_values(json, strlen(json), v, LOG_RUN_MAX, &store);
		assert_true(n > 1);
		sqlite3_bind_text(each, 1, json, -1, SQLITE_STATIC);
		for (i = 0; sqlite3_step(each) == SQLITE_ROW; i++) {
			const char *type = (const char *)sqlite3_column_text(each, 0);

			assert_true(i < (size_t)n);
			if (!strcmp(type, "null")) {
				assert_int_equal(v[i].type, VAL_NULL);
			} else if (!strcmp(type, "integer")) {
				assert_int_equal(v[i].type, VAL_INT);
				assert_true(v[i].i == sqlite3_column_int64(each, 1));
			} else {
				assert_string_equal(type, "text");
				assert_int_equal(v[i].type, VAL_TEXT);
				assert_string_equal(v[i].s, (const char *)sqlite3_column_text(each, 1));
			}
		}
		assert_int_equal(i, n);
		sqlite3_reset(each);
		runs++;
	}
	assert_int_equal(runs, 2 + 1);	/* two people, the station's own row */
	sqlite3_finalize(each);
	sqlite3_finalize(st);
	strbuf_release(&store);
	db_close(&a);
}

/* A new record is one entry of the log, here and where it is merged, and
 * reads as one change a field. */
static void test_run_created(void **state)
{
	struct gq_db *a = place(0, V1), *c = place(1, NULL);
	char id[40], *la, *name;
	int64_t n;

	(void)state;
	new_person(a, "刘秀英", id);
	n = count_of(a, CHANGES_OF, id);
	assert_true(n >= 5);	/* created_at, village, name, sex, phone... */
	assert_int_equal(count_of(a, ENTRIES_OF, id), 1);
	assert_int_equal(count_of(a, "SELECT count(*) FROM log_entry e JOIN log_key k ON k.n = e.row_n"
				  " JOIN log_shape s ON s.n = e.shape_n WHERE k.key = ?1 AND s.width = "
				  "(SELECT count(*) FROM change_log WHERE row_id = ?1)", id), 1);
	/* one head for the row, none of its fields' own */
	assert_int_equal(count_of(a, "SELECT count(*) FROM log_head h JOIN log_key k ON k.n = h.row_n"
				  " WHERE k.key = ?1", id), 1);
	assert_int_equal(count_of(a, "SELECT count(*) FROM field_head WHERE row_id = ?1", id), n);
	assert_int_equal(count_of(a, "SELECT count(*) FROM field_clock WHERE row_id = ?1", id), n);
	ship(a, c);
	assert_int_equal(count_of(c, ENTRIES_OF, id), 1);
	name = field_of(c, id, "name");
	assert_string_equal(name, "刘秀英");
	free(name);
	la = changes_of(a, id);
	assert_non_null(strstr(la, "|'刘秀英'|"));
	free(la);
	assert_same_places(a, c, id);
	db_close(&a);
	db_close(&c);
}

/* An edit of a field a run holds names the run's member as its parent,
 * takes the field from it, and travels. */
static void test_run_member_edited(void **state)
{
	struct gq_db *a = place(0, V1), *c = place(1, NULL);
	char id[40], *v;

	(void)state;
	new_person(a, "黄玉梅", id);
	ship(a, c);
	set_field(a, id, "name", "黄玉美");
	assert_int_equal(count_of(a, ENTRIES_OF, id), 2);
	/* the parent is the name in the run: its number, not the run's first */
	assert_int_equal(count_of(a, "SELECT count(*) FROM change_parent p JOIN change_log c"
				  " ON c.seq = p.child_seq JOIN change_log n ON n.origin = p.parent_origin"
				  " AND n.oseq = p.parent_oseq WHERE c.row_id = ?1 AND c.field = 'name'"
				  " AND n.row_id = ?1 AND n.field = 'name' AND n.value = '黄玉梅'"
				  " AND p.same_field = 1", id), 1);
	assert_int_equal(count_of(a, "SELECT count(*) FROM field_head WHERE row_id = ?1"
				  " AND field = 'name'", id), 1);
	v = field_of(a, id, "name");
	assert_string_equal(v, "黄玉美");
	free(v);
	ship(a, c);
	v = field_of(c, id, "name");
	assert_string_equal(v, "黄玉美");
	free(v);
	free(open_conflicts(c, NULL));
	assert_int_equal(count_of(c, "SELECT count(*) FROM conflict", NULL), 0);
	assert_same_places(a, c, id);
	db_close(&a);
	db_close(&c);
}

/* A first version of a field that a run already holds, from elsewhere
 * and naming nothing, does not join the run: both stay heads, and the
 * newer wins with the other kept in a conflict. */
static void test_run_concurrent_first(void **state)
{
	struct gq_db *a = place(0, V1), *c = place(1, NULL);
	struct merge_stats st;
	struct change ch;
	char id[40], *v, *conf;
	int n;

	(void)state;
	new_person(a, "孙凤英", id);
	ship(a, c);
	memset(&st, 0, sizeof(st));
	make_change(&ch, "00000000-0000-4000-8000-0000000000a7", 1,
		    hlc_make(clock_now_ms() + 1000, 0), "person", id, "name", "孙凤莲", V1);
	OK(db_begin(c, &e));
	OK(merge_apply(c, &ch, &st, &e));
	OK(db_commit(c, &e));
	assert_int_equal(count_of(c, "SELECT count(*) FROM field_head WHERE row_id = ?1"
				  " AND field = 'name'", id), 2);
	v = field_of(c, id, "name");
	assert_string_equal(v, "孙凤莲");
	free(v);
	conf = open_conflicts(c, &n);
	assert_int_equal(n, 1);
	assert_non_null(strstr(conf, "'孙凤英'"));
	assert_non_null(strstr(conf, "'孙凤莲'"));
	free(conf);
	/* the other fields are the run's still */
	v = field_of(c, id, "phone");
	assert_string_equal(v, "13800000000");
	free(v);
	assert_int_equal(problems_of(c), 0);
	db_close(&a);
	db_close(&c);
}

/* The fields of one save make one run even when the wall clock moves on
 * between them: a change made here takes the clock one past the run's,
 * when that is less than a second old. */
static void test_run_one_save(void **state)
{
	struct gq_db *a = place(0, V1);
	struct val v = { VAL_TEXT, 0, "2026-11-28T08:00:00.000Z" };
	const char *id = "00000000-0000-4000-8000-0000000000c1";
	int64_t now = clock_now_ms();

	(void)state;
	OK(db_begin(a, &e));
	OK(change_log_local(a, "person", id, "created_at", &v, V1, &e));
	clock_set_fixed(now + 7);
	v.s = "王秀珍";
	OK(change_log_local(a, "person", id, "name", &v, V1, &e));
	clock_set_fixed(now + 20);
	v.s = "F";
	OK(change_log_local(a, "person", id, "sex", &v, V1, &e));
	OK(db_commit(a, &e));
	clock_set_fixed(now);
	assert_int_equal(count_of(a, ENTRIES_OF, id), 1);
	assert_int_equal(count_of(a, "SELECT count(DISTINCT hlc) FROM change_log WHERE row_id = ?1", id), 3);
	assert_int_equal(count_of(a, "SELECT max(hlc) - min(hlc) FROM change_log WHERE row_id = ?1", id), 2);
	/* the place's clock stands at the last of them */
	assert_int_equal(count_of(a, "SELECT max(hlc) FROM change_log WHERE row_id = ?1", id),
			 (int64_t)hlc_current(a));
	/* a change of the run's row seconds later is a tick of its own */
	clock_set_fixed(now + 5000);
	v.s = "13700001111";
	OK(db_begin(a, &e));
	OK(change_log_local(a, "person", id, "phone", &v, V1, &e));
	OK(db_commit(a, &e));
	clock_set_fixed(now);
	assert_int_equal(count_of(a, ENTRIES_OF, id), 2);
	assert_int_equal(HLC_MS(count_of(a, "SELECT hlc FROM change_log WHERE row_id = ?1"
					 " AND field = 'phone'", id)), now + 5000);
	db_close(&a);
}

/* check names a run whose values do not match its shape. */
static void test_run_damaged(void **state)
{
	struct gq_db *a = place(0, V1);
	char id[40], *buf;
	int problems = 0;

	(void)state;
	new_person(a, "马桂芳", id);
	assert_int_equal(sqlite3_exec(a->h, "UPDATE log_entry SET value = json_remove(value, '$[1]')"
				      " WHERE shape_n IS NOT NULL", NULL, NULL, NULL), SQLITE_OK);
	buf = check_of(a, &problems);
	assert_true(problems > 0);
	assert_non_null(strstr(buf, "log_entry run"));
	free(buf);
	db_close(&a);
}

static void id18(const char *d17, char out[19])
{
	static const int w[17] = { 7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2 };
	int i, sum = 0;

	for (i = 0; i < 17; i++)
		sum += (d17[i] - '0') * w[i];
	snprintf(out, 19, "%.17s%c", d17, "10X98765432"[sum % 11]);
}

#define HELD_OF "SELECT count(*) FROM log_entry e JOIN log_key k ON k.n = e.row_n" \
	" WHERE k.key = ?1 AND e.shape_n IS NOT NULL AND e.value IS NULL"

/* Every column of every log entry of db but the value, and the heads. */
static char *entries_of(struct gq_db *db)
{
	struct strbuf sb = STRBUF_INIT;
	sqlite3_stmt *st;

	assert_int_equal(sqlite3_prepare_v2(db->h, "SELECT seq || '|' || origin_n || '|' || oseq"
		" || '|' || hlc || '|' || row_n || '|' || field_n || '|' || parents || '|'"
		" || quote(user_n) || '|' || quote(village_n) || '|' || quote(shape_n) FROM log_entry"
		" UNION ALL SELECT 'head ' || row_n || ' ' || field_n || ' ' || seq FROM log_head",
		-1, &st, NULL), SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW)
		strbuf_addf(&sb, "%s\n", (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return strbuf_detach(&sb, NULL);
}

/* Hold the runs of c's log that their rows hold, as an import does. */
static void hold(struct gq_db *c)
{
	OK(db_begin(c, &e));
	OK(change_log_hold(c, 0, &e));
	OK(db_commit(c, &e));
}

/* Give person id the category code from start, open (end NULL) or ended. */
static void add_category(struct gq_db *db, const char *id, const char *code, const char *end)
{
	struct rec_value v[] = { { "person_id", id }, { "category", code },
				 { "start_date", "2025-03-01" }, { "end_date", end } };
	char cid[40];

	OK(record_create(db, table_find("person_category"), v, end ? 4 : 3, NULL, cid, &e));
}

/* The county counts each category's active people from the index of open
 * categories less the people who are not active: the same numbers as a
 * station's way, each category's person looked up. */
static void test_county_category_counts(void **state)
{
	struct gq_db *a = place(0, V1), *b = place(0, V2), *c = place(1, NULL);
	struct query_counts n;
	char id[6][40];
	sqlite3_stmt *st;
	size_t i;
	int rows = 0;

	(void)state;
	new_person(a, "张桂英", id[0]);
	new_person(a, "李建国", id[1]);
	new_person(a, "王秀兰", id[2]);
	new_person(b, "刘玉珍", id[3]);
	new_person(b, "陈德明", id[4]);
	new_person(b, "杨淑芬", id[5]);
	add_category(a, id[0], "elderly_alone", NULL);
	add_category(a, id[0], "dibao", NULL);
	add_category(a, id[1], "elderly_alone", NULL);
	add_category(a, id[2], "elderly_alone", "2026-01-02");	/* ended */
	add_category(b, id[3], "left_behind_child", NULL);
	add_category(b, id[4], "left_behind_child", NULL);	/* he dies */
	add_category(b, id[5], "dibao", NULL);			/* her row is deleted */
	ship(a, c);
	ship(b, c);
	assert_int_equal(sqlite3_exec(c->h, "PRAGMA foreign_keys = OFF", NULL, NULL, NULL), SQLITE_OK);
	OK(db_begin(c, &e));
	assert_int_equal(count_of(c, "UPDATE person SET status = 'deceased' WHERE id = ?1 RETURNING 1",
				  id[4]), 1);
	assert_int_equal(count_of(c, "UPDATE person SET deleted = 1 WHERE id = ?1 RETURNING 1",
				  id[5]), 1);
	OK(db_commit(c, &e));
	OK(query_counts(c, "2026-11", &n, &e));
	assert_int_equal(sqlite3_prepare_v2(c->h, "SELECT c.category, count(DISTINCT c.person_id)"
		" FROM person_category c JOIN person p ON p.id = c.person_id WHERE c.deleted = 0"
		" AND c.end_date IS NULL AND p.deleted = 0 AND p.status = 'active' GROUP BY c.category",
		-1, &st, NULL), SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW) {
		for (i = 0; choices_category[i].code; i++)
			if (!strcmp(choices_category[i].code, (const char *)sqlite3_column_text(st, 0)))
				assert_int_equal(n.category[i], sqlite3_column_int(st, 1));
		rows++;
	}
	sqlite3_finalize(st);
	assert_int_equal(rows, 3);
	for (i = 0; choices_category[i].code; i++) {
		if (!strcmp(choices_category[i].code, "elderly_alone"))
			assert_int_equal(n.category[i], 2);
		else if (!strcmp(choices_category[i].code, "left_behind_child") ||
			 !strcmp(choices_category[i].code, "dibao"))
			assert_int_equal(n.category[i], 1);
		else
			assert_int_equal(n.category[i], 0);
	}
	assert_int_equal(n.people, 4);
	db_close(&a);
	db_close(&b);
	db_close(&c);
}

/* A run whose row holds its values keeps them there alone: the log reads
 * the same, a bundle from it is the same, check passes; an update or a
 * delete of the row gives the run its values back first. */
static void test_run_held(void **state)
{
	struct gq_db *a = place(0, V1), *c = place(1, NULL), *d = place(0, NULL);
	char id[40], other[40], gone[40], *before, *after, *dump0, *entries0, *v;

	(void)state;
	new_person(a, "王桂兰", id);
	new_person(a, "刘德华", other);
	new_person(a, "赵淑珍", gone);
	ship(a, c);
	/* the station changes one name after it was sent: that run is not
	 * as its row at the county once it comes */
	set_field(a, other, "name", "刘德福");
	ship(a, c);
	before = changes_of(c, id);
	dump0 = dump(c);
	entries0 = entries_of(c);
	hold(c);
	assert_int_equal(count_of(c, HELD_OF, id), 1);
	assert_int_equal(count_of(c, HELD_OF, gone), 1);
	assert_int_equal(count_of(c, HELD_OF, other), 0);
	after = changes_of(c, id);
	assert_string_equal(after, before);
	free(after);
	after = dump(c);
	assert_string_equal(after, dump0);
	free(after);
	free(dump0);
	assert_int_equal(problems_of(c), 0);
	/* a held run is written again with every column of its entry but
	 * the value (held_rewrite() in change.c names them) */
	assert_int_equal(count_of(c, "SELECT count(*) FROM pragma_table_info('log_entry')", NULL), 11);
	after = entries_of(c);
	assert_string_equal(after, entries0);
	free(after);
	free(entries0);
	/* the same values through the program's own reading (log_held()) */
	assert_int_equal(count_of(c, "SELECT count(*) FROM log_entry k_ JOIN log_key r ON r.n = k_.row_n"
				  " JOIN log_shape_field s ON s.shape_n = k_.shape_n"
				  " JOIN log_field f ON f.n = s.field_n AND f.field = 'name'"
				  " WHERE r.key = ?1 AND log_held(k_.row_n, k_.shape_n, s.i) = '王桂兰'", id), 1);
	/* held runs sent on: another place gets the same changes */
	ship(c, d);
	assert_same_dump(c, d);
	after = changes_of(d, id);
	assert_string_equal(after, before);
	free(after);
	free(before);

	/* an edit at the county gives the run its values back first */
	set_field(c, id, "name", "王桂芝");
	assert_int_equal(count_of(c, HELD_OF, id), 0);
	after = changes_of(c, id);
	assert_non_null(strstr(after, "'王桂兰'"));
	assert_non_null(strstr(after, "'王桂芝'"));
	free(after);
	v = field_of(c, id, "name");
	assert_string_equal(v, "王桂芝");
	free(v);
	/* so does a row's delete */
	after = changes_of(c, gone);
	assert_int_equal(sqlite3_exec(c->h, "PRAGMA foreign_keys = OFF", NULL, NULL, NULL), SQLITE_OK);
	OK(db_begin(c, &e));
	assert_int_equal(count_of(c, "DELETE FROM person WHERE id = ?1 RETURNING 1", gone), 1);
	OK(db_commit(c, &e));
	assert_int_equal(count_of(c, HELD_OF, gone), 0);
	before = changes_of(c, gone);
	assert_string_equal(before, after);
	assert_non_null(strstr(before, "'赵淑珍'"));
	free(before);
	free(after);
	db_close(&a);
	db_close(&c);
	db_close(&d);
}

/* Migration 13 on a log of version 12: its runs held, the log the same,
 * check passes. */
static void test_run_held_migration(void **state)
{
	struct gq_db *a = place(0, V1), *c = place(1, NULL);
	char id[40], path[4096], *before, *after;
	int64_t runs;

	(void)state;
	new_person(a, "周玉珍", id);
	ship(a, c);
	hold(c);
	runs = count_of(c, "SELECT count(*) FROM log_entry WHERE shape_n IS NOT NULL", NULL);
	assert_true(runs > 0);
	assert_int_equal(count_of(c, "SELECT count(*) FROM log_entry WHERE shape_n IS NOT NULL"
				  " AND value IS NULL", NULL), runs);
	before = changes_of(c, id);
	/* as version 12 left it: every run its values, no triggers */
	OK(db_begin(c, &e));
	assert_int_equal(sqlite3_exec(c->h, "UPDATE person SET name = name", NULL, NULL, NULL), SQLITE_OK);
	OK(db_commit(c, &e));
	assert_int_equal(count_of(c, "SELECT count(*) FROM log_entry WHERE value IS NULL"
				  " AND shape_n IS NOT NULL AND field_n IN (SELECT n FROM log_field"
				  " WHERE tbl = 'person')", NULL), 0);
	assert_int_equal(sqlite3_exec(c->h, "DROP TRIGGER person_log_held_update; DROP INDEX person_gone;"
				      "CREATE INDEX visit_followup ON visit (followup_due);"
				      "PRAGMA user_version = 12", NULL, NULL, NULL), SQLITE_OK);
	snprintf(path, sizeof(path), "%s", c->path);
	db_close(&c);
	OK(db_open(path, 0, &c, &e));
	assert_int_equal(count_of(c, "PRAGMA user_version", NULL), 13);
	assert_int_equal(count_of(c, "SELECT count(*) FROM log_entry WHERE shape_n IS NOT NULL"
				  " AND value IS NULL", NULL), runs);
	assert_int_equal(count_of(c, "SELECT count(*) FROM sqlite_master WHERE type = 'trigger'"
				  " AND name = 'person_log_held_update'", NULL), 1);
	after = changes_of(c, id);
	assert_string_equal(after, before);
	free(after);
	free(before);
	assert_int_equal(problems_of(c), 0);
	db_close(&a);
	db_close(&c);
}

/* The run of n changes of person row id from station a (fields and texts
 * in pairs), judged at the county c with every change taken. */
static void judge(struct gq_db *a, struct gq_db *c, const char *id, struct merge_verdict *v,
		  size_t n, const char *const *ft)
{
	struct change run[8];
	unsigned char use[8];
	size_t i;

	assert_true(n <= 8);
	for (i = 0; i < n; i++) {
		make_change(&run[i], a->station_id, 1000 + (int64_t)i, hlc_current(a), "person", id,
			    ft[2 * i], ft[2 * i + 1], V1);
		if (!strcmp(ft[2 * i], "deleted")) {
			run[i].value.type = VAL_INT;
			run[i].value.i = 1;
		}
		use[i] = 1;
	}
	OK(merge_check_run(c, run, n, use, v, &e));
}

static void test_check_run(void **state)
{
	struct gq_db *a = place(0, V1), *c = place(1, NULL);
	struct merge_verdict v;
	char id[40], idf[19], idm[19], *sex;
	struct rec_value pv[2];

	(void)state;
	memset(&v, 0, sizeof(v));
	id18("41152419750304002", idf);	/* a woman born 1975-03-04 */
	id18("41152419600715003", idm);	/* a man born 1960-07-15 */
	pv[0].field = "name";
	pv[0].text = "陈秀兰";
	pv[1].field = "id_number";
	pv[1].text = idf;
	OK(record_create(a, table_find("person"), pv, 2, NULL, id, &e));
	ship(a, c);
	sex = field_of(c, id, "sex");
	assert_string_equal(sex, "F");
	free(sex);

	/* a sex that contradicts the ID number: refused, named */
	judge(a, c, id, &v, 1, (const char *[]){ "sex", "M" });
	assert_int_equal(v.refused[0], 1);
	assert_non_null(strstr(v.why[0].msg, "does not agree with the ID number"));
	/* beside a valid change of another field, only it is refused */
	judge(a, c, id, &v, 2, (const char *[]){ "phone", "13900000001", "sex", "M" });
	assert_int_equal(v.refused[0], 0);
	assert_int_equal(v.refused[1], 1);
	/* a birth date that contradicts it */
	judge(a, c, id, &v, 1, (const char *[]){ "birth_date", "1976-03-04" });
	assert_int_equal(v.refused[0], 1);
	assert_non_null(strstr(v.why[0].msg, "1975-03-04"));
	/* a valid partial edit, and an honest edit of three fields whose
	 * first change alone would break the rule */
	judge(a, c, id, &v, 1, (const char *[]){ "sex", "F" });
	assert_int_equal(v.refused[0], 0);
	judge(a, c, id, &v, 3, (const char *[]){ "sex", "M", "id_number", idm,
						 "birth_date", "1960-07-15" });
	assert_int_equal(v.refused[0] + v.refused[1] + v.refused[2], 0);
	/* a status date before the birth date */
	judge(a, c, id, &v, 1, (const char *[]){ "status_date", "1970-01-01" });
	assert_int_equal(v.refused[0], 1);
	assert_non_null(strstr(v.why[0].msg, "before the birth date"));
	/* a tombstone is taken, whatever else the run holds */
	judge(a, c, id, &v, 2, (const char *[]){ "sex", "M", "deleted", NULL });
	assert_int_equal(v.refused[0] + v.refused[1], 0);
	/* a rule the row broke before is not held against the run */
	assert_int_equal(sqlite3_exec(c->h, "UPDATE person SET sex = 'M'", NULL, NULL, NULL), SQLITE_OK);
	judge(a, c, id, &v, 1, (const char *[]){ "birth_date", "1975-03-04" });
	assert_int_equal(v.refused[0], 0);
	merge_verdict_release(&v);
	db_close(&a);
	db_close(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_record_roundtrip),
		cmocka_unit_test(test_idempotent),
		cmocka_unit_test(test_known_any_order),
		cmocka_unit_test(test_concurrent_edit),
		cmocka_unit_test(test_delete_edit),
		cmocka_unit_test(test_order_independent),
		cmocka_unit_test(test_clock_clamped),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_field_before_row),
		cmocka_unit_test(test_three_places),
		cmocka_unit_test(test_run_values),
		cmocka_unit_test(test_run_created),
		cmocka_unit_test(test_run_member_edited),
		cmocka_unit_test(test_run_concurrent_first),
		cmocka_unit_test(test_run_one_save),
		cmocka_unit_test(test_run_damaged),
		cmocka_unit_test(test_check_run),
		cmocka_unit_test(test_run_held),
		cmocka_unit_test(test_run_held_migration),
		cmocka_unit_test(test_county_category_counts),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
