/* wire.c - the change record of a bundle (doc/bundle-format.md, "Change
 * records"): strings named once per bundle, numbers as varints, clocks and
 * sequence numbers as differences. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "guanqing/i18n.h"
#include "guanqing/merge.h"
#include "guanqing/wire.h"
#include "guanqing/xalloc.h"

/* ---- String tables ---------------------------------------------------- */

enum tab_kind { T_ID, T_NAME, T_VILLAGE, T_TEXT, T_COUNT };

static const size_t tab_slots[T_COUNT] = {
	WIRE_ID_SLOTS, WIRE_NAME_SLOTS, WIRE_VILLAGE_SLOTS, WIRE_TEXT_SLOTS
};
static const size_t tab_maxlen[T_COUNT] = {
	MERGE_ID_MAX, MERGE_NAME_MAX, MERGE_VILLAGE_MAX, WIRE_TEXT_SHORT
};

/* One table: slots filled in turn (slot = number of strings given so far
 * modulo the number of slots), a new string replacing the oldest. The
 * encoder finds a string's slot by a hash chain. */
struct tab {
	size_t slots, maxlen, next;
	char *str;		/* slots * (maxlen + 1) */
	int64_t *last_oseq;	/* T_ID: the last oseq of the origin in the slot */
	int32_t *bucket;	/* 2 * slots heads, -1 for none */
	int32_t *chain;		/* next slot in the same bucket */
	uint32_t *hash;
};

struct wire {
	struct tab t[T_COUNT];
	hlc_t last_hlc;
};

static uint32_t str_hash(const char *s, size_t n)
{
	uint32_t h = 2166136261u;
	size_t i;

	for (i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h;
}

struct wire *wire_new(void)
{
	struct wire *w = xcalloc(1, sizeof(*w));
	int k;
	size_t i;

	for (k = 0; k < T_COUNT; k++) {
		struct tab *t = &w->t[k];

		t->slots = tab_slots[k];
		t->maxlen = tab_maxlen[k];
		t->str = xcalloc(t->slots, t->maxlen + 1);
		t->last_oseq = xcalloc(t->slots, sizeof(*t->last_oseq));
		t->bucket = xcalloc(2 * t->slots, sizeof(*t->bucket));
		t->chain = xcalloc(t->slots, sizeof(*t->chain));
		t->hash = xcalloc(t->slots, sizeof(*t->hash));
		for (i = 0; i < 2 * t->slots; i++)
			t->bucket[i] = -1;
	}
	return w;
}

void wire_free(struct wire **pw)
{
	struct wire *w = pw ? *pw : NULL;
	int k;

	if (!w)
		return;
	for (k = 0; k < T_COUNT; k++) {
		free(w->t[k].str);
		free(w->t[k].last_oseq);
		free(w->t[k].bucket);
		free(w->t[k].chain);
		free(w->t[k].hash);
	}
	free(w);
	*pw = NULL;
}

static char *slot_str(struct tab *t, size_t i)
{
	return t->str + i * (t->maxlen + 1);
}

/* The slot holding s, or -1. */
static long tab_find(struct tab *t, const char *s, size_t n)
{
	uint32_t h = str_hash(s, n);
	int32_t i;

	for (i = t->bucket[h % (2 * t->slots)]; i >= 0; i = t->chain[i])
		if (t->hash[i] == h && !strncmp(slot_str(t, (size_t)i), s, n) &&
		    slot_str(t, (size_t)i)[n] == '\0')
			return i;
	return -1;
}

/* Put s (n <= maxlen bytes) into the next slot; returns the slot. */
static size_t tab_add(struct tab *t, const char *s, size_t n)
{
	size_t i = t->next % t->slots;
	uint32_t h;

	if (t->next >= t->slots) {
		/* The slot's old string leaves its chain. */
		int32_t *p = &t->bucket[t->hash[i] % (2 * t->slots)];

		while (*p >= 0 && *p != (int32_t)i)
			p = &t->chain[*p];
		if (*p == (int32_t)i)
			*p = t->chain[i];
	}
	h = str_hash(s, n);
	memcpy(slot_str(t, i), s, n);
	slot_str(t, i)[n] = '\0';
	t->hash[i] = h;
	t->last_oseq[i] = 0;
	t->chain[i] = t->bucket[h % (2 * t->slots)];
	t->bucket[h % (2 * t->slots)] = (int32_t)i;
	t->next++;
	return i;
}

/* ---- Writing ---------------------------------------------------------- */

static void put_varint(struct strbuf *out, uint64_t v)
{
	do {
		unsigned char b = v & 0x7F;

		v >>= 7;
		if (v)
			b |= 0x80;
		strbuf_addch(out, b);
	} while (v);
}

static uint64_t zigzag(uint64_t d)
{
	return (d << 1) ^ (uint64_t)-(int64_t)(d >> 63);
}

static void put_svarint(struct strbuf *out, uint64_t diff)
{
	put_varint(out, zigzag(diff));
}

static void put_str(struct strbuf *out, const char *s, size_t n)
{
	put_varint(out, n);
	strbuf_add(out, s, n);
}

/* Is s a UUID in canonical lower-case text? */
static int canonical_uuid(const char *s, size_t n)
{
	size_t i;

	if (n != 36)
		return 0;
	for (i = 0; i < 36; i++) {
		char ch = s[i];

		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (ch != '-')
				return 0;
		} else if (!((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f'))) {
			return 0;
		}
	}
	return 1;
}

static int hexval(char ch)
{
	return ch <= '9' ? ch - '0' : ch - 'a' + 10;
}

/* A string through table k: its slot when given before, else the string
 * itself (for an id, a canonical UUID as 16 bytes). Returns the slot. */
static size_t put_ref(struct wire *w, enum tab_kind k, struct strbuf *out, const char *s)
{
	struct tab *t = &w->t[k];
	size_t n = strlen(s), i;
	long slot;

	if (n > t->maxlen)
		n = t->maxlen;	/* never: the caller gives strings within the limits */
	slot = tab_find(t, s, n);
	if (slot >= 0) {
		put_varint(out, (uint64_t)slot + (k == T_ID ? 2 : 1));
		return (size_t)slot;
	}
	if (k == T_ID && canonical_uuid(s, n)) {
		put_varint(out, 1);
		for (i = 0; i < 36; i++) {
			if (s[i] == '-')
				continue;
			strbuf_addch(out, (char)(hexval(s[i]) << 4 | hexval(s[i + 1])));
			i++;
		}
	} else {
		put_varint(out, 0);
		put_str(out, s, n);
	}
	return tab_add(t, s, n);
}

void wire_change_write(struct wire *w, const struct change *c, struct strbuf *out)
{
	size_t slot, i, n;

	strbuf_addch(out, WIRE_RECORD_CHANGE);
	slot = put_ref(w, T_ID, out, c->origin);
	put_svarint(out, (uint64_t)c->oseq - (uint64_t)w->t[T_ID].last_oseq[slot]);
	w->t[T_ID].last_oseq[slot] = c->oseq;
	put_svarint(out, (uint64_t)c->hlc - (uint64_t)w->last_hlc);
	w->last_hlc = c->hlc;
	put_ref(w, T_NAME, out, c->tbl);
	put_ref(w, T_ID, out, c->row_id);
	put_ref(w, T_NAME, out, c->field);
	switch (c->value.type) {
	case VAL_INT:
		strbuf_addch(out, 1);
		put_svarint(out, (uint64_t)c->value.i);
		break;
	case VAL_TEXT:
		n = strlen(c->value.s);
		if (canonical_uuid(c->value.s, n)) {
			strbuf_addch(out, 4);
			put_ref(w, T_ID, out, c->value.s);
		} else if (n <= WIRE_TEXT_SHORT) {
			strbuf_addch(out, 3);
			put_ref(w, T_TEXT, out, c->value.s);
		} else {
			strbuf_addch(out, 2);
			put_str(out, c->value.s, n);
		}
		break;
	default:
		strbuf_addch(out, 0);
	}
	put_varint(out, c->nparents);
	for (i = 0; i < c->nparents; i++) {
		put_ref(w, T_ID, out, c->parents[i].origin);
		put_svarint(out, (uint64_t)c->oseq - (uint64_t)c->parents[i].oseq);
		strbuf_addch(out, c->parents[i].same_field ? 1 : 0);
	}
	put_ref(w, T_ID, out, c->user_id);
	put_ref(w, T_VILLAGE, out, c->village);
}

enum gq_status wire_change_encode(struct wire *w, struct gq_db *db, int64_t seq,
				  struct strbuf *out, struct gq_err *err)
{
	struct change c;
	enum gq_status rc = merge_change_load(db, seq, &c, err);

	if (rc == GQ_OK)
		wire_change_write(w, &c, out);
	merge_change_release(&c);
	return rc;
}

/* ---- Reading ---------------------------------------------------------- */

struct reader {
	const unsigned char *p;
	size_t len, pos;
	struct gq_err *err;
};

static enum gq_status bad(struct reader *r, const char *what)
{
	return gq_err_set(r->err, GQ_ECORRUPT,
			  _("Malformed change record at byte %zu: %s."), r->pos, what);
}

static enum gq_status get_u8(struct reader *r, unsigned *v)
{
	if (r->pos >= r->len)
		return bad(r, _("it ends too early"));
	*v = r->p[r->pos++];
	return GQ_OK;
}

/* An unsigned LEB128 number of at most 64 bits, in its shortest form. */
static enum gq_status get_varint(struct reader *r, uint64_t *v)
{
	unsigned shift = 0, b = 0;
	enum gq_status rc;

	*v = 0;
	for (;;) {
		rc = get_u8(r, &b);
		if (rc != GQ_OK)
			return rc;
		if (shift == 63 && b > 1)
			return bad(r, _("a number is too large"));
		*v |= (uint64_t)(b & 0x7F) << shift;
		if (!(b & 0x80)) {
			if (b == 0 && shift > 0)
				return bad(r, _("a number is not in its shortest form"));
			return GQ_OK;
		}
		shift += 7;
	}
}

/* A signed difference (zigzag), as a two's complement 64-bit number. */
static enum gq_status get_svarint(struct reader *r, uint64_t *d)
{
	uint64_t z;
	enum gq_status rc = get_varint(r, &z);

	*d = (z >> 1) ^ (uint64_t)-(int64_t)(z & 1);
	return rc;
}

/* Does s[0..n) belong to the alphabet of table k? */
static int word_ok(enum tab_kind k, const unsigned char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char ch = s[i];
		int ok;

		switch (k) {
		case T_ID:
			ok = (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f') || ch == '-';
			break;
		case T_NAME:
			ok = (ch >= 'a' && ch <= 'z') || ch == '_' || (i > 0 && ch >= '0' && ch <= '9');
			break;
		case T_VILLAGE:
			ok = ch >= '0' && ch <= '9';
			break;
		default:
			ok = ch != '\0';
		}
		if (!ok)
			return 0;
	}
	return 1;
}

/* A string through table k into dst (at most maxlen + 1 bytes); *slot
 * (may be NULL) receives its slot. min is its least length; what (N_(),
 * translated only when it is told) says what was bad. */ 
static enum gq_status get_ref(struct wire *w, enum tab_kind k, struct reader *r, size_t min,
			      char *dst, size_t *slot, const char *what)
{
	static const char hex[] = "0123456789abcdef";
	struct tab *t = &w->t[k];
	enum gq_status rc;
	uint64_t v, n;
	size_t i, j, s;
	char tmp[WIRE_TEXT_SHORT + 1];

	rc = get_varint(r, &v);
	if (rc != GQ_OK)
		return rc;
	if (v == 1 && k == T_ID) {
		/* A UUID in 16 bytes. */
		if (r->len - r->pos < 16)
			return bad(r, _("it ends too early"));
		for (i = 0, j = 0; i < 16; i++) {
			unsigned char b = r->p[r->pos + i];

			if (j == 8 || j == 13 || j == 18 || j == 23)
				tmp[j++] = '-';
			tmp[j++] = hex[b >> 4];
			tmp[j++] = hex[b & 15];
		}
		tmp[j] = '\0';
		r->pos += 16;
		s = tab_add(t, tmp, j);
	} else if (v == 0) {
		rc = get_varint(r, &n);
		if (rc != GQ_OK)
			return rc;
		if (n > t->maxlen || n > r->len - r->pos || !word_ok(k, r->p + r->pos, (size_t)n))
			return bad(r, _(what));
		s = tab_add(t, (const char *)r->p + r->pos, (size_t)n);
		r->pos += (size_t)n;
	} else {
		uint64_t base = k == T_ID ? 2 : 1;

		if (v - base >= t->slots || v - base >= t->next)
			return bad(r, _("it names a string not given before"));
		s = (size_t)(v - base);
	}
	if (strlen(slot_str(t, s)) < min)
		return bad(r, _(what));
	memcpy(dst, slot_str(t, s), strlen(slot_str(t, s)) + 1);
	if (slot)
		*slot = s;
	return GQ_OK;
}

/* A number in 1 .. 2^63 - 1 from base and a difference. */
static int in_range(uint64_t v, uint64_t least)
{
	return v >= least && v <= (uint64_t)INT64_MAX;
}

enum gq_status wire_change_decode(struct wire *w, const void *buf, size_t len,
				  struct change *c, size_t *used, struct gq_err *err)
{
	struct reader r = { buf, len, 0, err };
	char text[WIRE_TEXT_SHORT + 1];
	enum gq_status rc;
	uint64_t n = 0, d = 0;
	unsigned b = 0;
	size_t i, slot = 0;

	memset(c, 0, sizeof(*c));
	rc = get_u8(&r, &b);
	if (rc == GQ_OK && b != WIRE_RECORD_CHANGE)
		rc = bad(&r, _("it is not a change record"));
	if (rc == GQ_OK)
		rc = get_ref(w, T_ID, &r, 1, c->origin, &slot, N_("bad origin"));
	if (rc == GQ_OK)
		rc = get_svarint(&r, &d);
	if (rc == GQ_OK) {
		uint64_t v = (uint64_t)w->t[T_ID].last_oseq[slot] + d;

		if (!in_range(v, 1))
			rc = bad(&r, _("bad sequence number"));
		c->oseq = (int64_t)v;
		w->t[T_ID].last_oseq[slot] = c->oseq;
	}
	if (rc == GQ_OK)
		rc = get_svarint(&r, &d);
	if (rc == GQ_OK) {
		uint64_t v = (uint64_t)w->last_hlc + d;

		if (!in_range(v, 0))
			rc = bad(&r, _("bad clock value"));
		c->hlc = (hlc_t)v;
		w->last_hlc = c->hlc;
	}
	if (rc == GQ_OK)
		rc = get_ref(w, T_NAME, &r, 1, c->tbl, NULL, N_("bad table name"));
	if (rc == GQ_OK)
		rc = get_ref(w, T_ID, &r, 1, c->row_id, NULL, N_("bad row id"));
	if (rc == GQ_OK)
		rc = get_ref(w, T_NAME, &r, 1, c->field, NULL, N_("bad field name"));
	if (rc == GQ_OK)
		rc = get_u8(&r, &b);
	if (rc == GQ_OK) {
		switch (b) {
		case 0:
			c->value.type = VAL_NULL;
			break;
		case 1:
			rc = get_svarint(&r, &d);
			c->value.type = VAL_INT;
			c->value.i = (int64_t)d;
			break;
		case 2:
			rc = get_varint(&r, &n);
			if (rc == GQ_OK && (n > MERGE_TEXT_MAX || n > r.len - r.pos))
				rc = bad(&r, _("bad text length"));
			if (rc == GQ_OK && memchr(r.p + r.pos, '\0', (size_t)n))
				rc = bad(&r, _("a NUL byte in a text value"));
			if (rc == GQ_OK) {
				c->text = xstrndup((const char *)r.p + r.pos, (size_t)n);
				r.pos += (size_t)n;
			}
			break;
		case 3:
			rc = get_ref(w, T_TEXT, &r, 0, text, NULL, N_("bad text length"));
			if (rc == GQ_OK)
				c->text = xstrdup(text);
			break;
		case 4:
			rc = get_ref(w, T_ID, &r, 0, text, NULL, N_("bad text value"));
			if (rc == GQ_OK)
				c->text = xstrdup(text);
			break;
		default:
			rc = bad(&r, _("unknown value type"));
		}
		if (rc == GQ_OK && c->text) {
			c->value.type = VAL_TEXT;
			c->value.s = c->text;
		}
	}
	if (rc == GQ_OK)
		rc = get_varint(&r, &n);
	if (rc == GQ_OK && n > MERGE_PARENTS_MAX)
		rc = bad(&r, _("too many parents"));
	if (rc == GQ_OK && n) {
		c->parents = xcalloc((size_t)n, sizeof(*c->parents));
		c->nparents = (size_t)n;
	}
	for (i = 0; rc == GQ_OK && i < c->nparents; i++) {
		rc = get_ref(w, T_ID, &r, 1, c->parents[i].origin, NULL, N_("bad parent origin"));
		if (rc == GQ_OK)
			rc = get_svarint(&r, &d);
		if (rc == GQ_OK) {
			uint64_t v = (uint64_t)c->oseq - d;

			if (!in_range(v, 1))
				rc = bad(&r, _("bad parent sequence number"));
			c->parents[i].oseq = (int64_t)v;
		}
		if (rc == GQ_OK)
			rc = get_u8(&r, &b);
		if (rc == GQ_OK && b > 1)
			rc = bad(&r, _("bad parent flag"));
		c->parents[i].same_field = (int)b;
	}
	if (rc == GQ_OK)
		rc = get_ref(w, T_ID, &r, 0, c->user_id, NULL, N_("bad user id"));
	if (rc == GQ_OK)
		rc = get_ref(w, T_VILLAGE, &r, 0, c->village, NULL, N_("bad village code"));
	if (rc == GQ_OK && !used && r.pos != len)
		rc = bad(&r, _("extra bytes after the record"));
	if (rc == GQ_OK && used)
		*used = r.pos;
	return rc;
}
