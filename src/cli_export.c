/* cli_export.c - the record lists as exports for Excel and WPS
 * (cli_export.h). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "guanqing/auth.h"
#include "guanqing/cli_export.h"
#include "guanqing/cli_out.h"
#include "guanqing/field.h"
#include "guanqing/i18n.h"
#include "guanqing/query.h"
#include "guanqing/strbuf.h"
#include "guanqing/xalloc.h"

struct place_row {
	char *id, *name, *village, *household, *grid, *address, *categories;
};

struct list_export {
	struct gq_db *db;
	const struct table_def *t;
	const struct field_def *cols[24];
	int ncols;
	struct table_out *out;
	int codes, mask, extra;	/* extra: the person's places follow */
	const char *person_col;	/* the column naming the person, or NULL */
	struct place_row *pl;
	size_t npl, apl;
	struct strbuf disp, cats;
};

static char *dup_or_null(const char *s)
{
	return s && *s ? xstrdup(s) : NULL;
}

static int add_place(void *arg, const struct query_place *p)
{
	struct list_export *x = arg;
	struct place_row *r;

	if (x->npl == x->apl) {
		x->apl = x->apl ? 2 * x->apl : 256;
		x->pl = xreallocarray(x->pl, x->apl, sizeof(*x->pl));
	}
	r = &x->pl[x->npl++];
	r->id = xstrdup(p->id ? p->id : "");
	r->name = dup_or_null(p->name);
	r->village = dup_or_null(p->village_name ? p->village_name : p->village);
	r->household = dup_or_null(p->household);
	r->grid = dup_or_null(p->grid);
	r->address = dup_or_null(p->address);
	r->categories = dup_or_null(p->categories);
	return 0;
}

static int place_cmp(const void *a, const void *b)
{
	return strcmp(((const struct place_row *)a)->id, ((const struct place_row *)b)->id);
}

static const struct place_row *place_of(const struct list_export *x, const char *id)
{
	struct place_row key;

	if (!id || !x->npl)
		return NULL;
	memset(&key, 0, sizeof(key));
	key.id = (char *)id;
	return bsearch(&key, x->pl, x->npl, sizeof(*x->pl), place_cmp);
}

static enum out_kind kind_of(const struct field_def *f)
{
	switch (f->type) {
	case FT_IDNUM:
	case FT_PHONE:
		return OUT_CODE;
	case FT_DATE:
		return OUT_DATE;
	case FT_INT:
	case FT_MONEY:
		return OUT_NUM;
	default:
		return OUT_TEXT;
	}
}

int list_export_begin(struct gq_db *db, const struct table_def *t, const struct opts *o,
		      enum fmt f, struct table_out *out, const struct field_def *const *cols,
		      int ncols, struct list_export **xp)
{
	struct list_export *x;
	struct gq_err e;
	int i;

	*xp = NULL;
	if (f != FMT_CSV && f != FMT_XLSX && f != FMT_JSON)
		return 0;
	x = xcalloc(1, sizeof(*x));
	x->db = db;
	x->t = t;
	x->out = out;
	/* JSON is for programs: always the stored spelling. */
	x->codes = f == FMT_JSON || cli_opt(o, "codes") != NULL;
	x->mask = cli_opt(o, "mask-id") != NULL;
	x->ncols = ncols > 23 ? 23 : ncols;
	for (i = 0; i < x->ncols; i++)
		x->cols[i] = cols[i];
	strbuf_init(&x->disp, 0);
	strbuf_init(&x->cats, 0);
	if (!strcmp(t->name, "person"))
		x->person_col = "id";
	else if (table_field(t, "person_id"))
		x->person_col = "person_id";
	x->extra = !x->codes && x->person_col != NULL;
	out->ncols = 0;
	out->raw = x->codes;
	out->kind[out->ncols] = OUT_TEXT;
	out->head[out->ncols++] = x->codes ? "id" : _("Record id");
	for (i = 0; i < x->ncols; i++) {
		out->kind[out->ncols] = (unsigned char)kind_of(x->cols[i]);
		out->head[out->ncols++] = x->codes ? x->cols[i]->name : _(x->cols[i]->label);
	}
	if (x->extra) {
		static const char *const extra[] = {
			N_("Village"), N_("Household"), N_("Grid"), N_("Categories"), N_("Address")
		};

		for (i = 0; i < 5 && out->ncols < 24; i++) {
			out->kind[out->ncols] = OUT_TEXT;
			out->head[out->ncols++] = _(extra[i]);
		}
	}
	if (!x->codes && x->person_col) {
		gq_err_clear(&e);
		if (query_person_places(db, add_place, x, &e) != GQ_OK) {
			list_export_end(x);
			return cli_fail(&e);
		}
	}
	*xp = x;
	return 0;
}

/* The categories' codes as labels, joined as the user's language joins. */
static const char *category_labels(struct list_export *x, const char *codes)
{
	const struct field_def *f = table_field(table_find("category"), "category");

	strbuf_reset(&x->cats);
	if (codes && f)
		field_display(x->db, f, codes, &x->cats);
	return x->cats.len ? x->cats.buf : NULL;
}

int list_export_row(struct list_export *x, const struct record *r)
{
	char *cells[24];
	const struct place_row *p = NULL;
	int i, n = 0;

	cells[n++] = xstrdup(r->id);
	if (x->person_col)
		p = place_of(x, !strcmp(x->person_col, "id") ? r->id : record_get(r, x->person_col));
	for (i = 0; i < x->ncols; i++) {
		const struct field_def *f = x->cols[i];
		const char *v = record_get(r, f->name);

		if (!v || !*v) {
			cells[n++] = NULL;
		} else if (f->type == FT_IDNUM && x->mask) {
			char masked[32];

			auth_mask_id(v, masked, sizeof(masked));
			cells[n++] = xstrdup(masked);
		} else if (x->codes || f->type == FT_IDNUM || f->type == FT_PHONE ||
			   f->type == FT_DATE || f->type == FT_INT || f->type == FT_MONEY) {
			cells[n++] = xstrdup(v);
		} else if (f->type == FT_REF && f->ref && !strcmp(f->ref, "person") &&
			   x->person_col && !strcmp(f->name, x->person_col) && p && p->name) {
			cells[n++] = xstrdup(p->name);
		} else {
			strbuf_reset(&x->disp);
			field_display(x->db, f, v, &x->disp);
			cells[n++] = xstrdup(x->disp.buf);
		}
	}
	if (x->extra) {
		cells[n++] = p && p->village ? xstrdup(p->village) : NULL;
		cells[n++] = p && p->household ? xstrdup(p->household) : NULL;
		cells[n++] = p && p->grid ? xstrdup(p->grid) : NULL;
		cells[n++] = p ? dup_or_null(category_labels(x, p->categories)) : NULL;
		cells[n++] = p && p->address ? xstrdup(p->address) : NULL;
	}
	tout_add_row(x->out, cells);
	for (i = 0; i < n; i++)
		free(cells[i]);
	return 0;
}

void list_export_end(struct list_export *x)
{
	size_t i;

	if (!x)
		return;
	for (i = 0; i < x->npl; i++) {
		free(x->pl[i].id);
		free(x->pl[i].name);
		free(x->pl[i].village);
		free(x->pl[i].household);
		free(x->pl[i].grid);
		free(x->pl[i].address);
		free(x->pl[i].categories);
	}
	free(x->pl);
	strbuf_release(&x->disp);
	strbuf_release(&x->cats);
	free(x);
}
