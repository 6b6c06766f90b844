/* fuzz_form.c - the form loader: any bytes as a visit-form file; a form
 * that loads is described, and answers are checked against it. */
#include "config.h"

#include "fuzz.h"
#include "guanqing/form.h"
#include "guanqing/strbuf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct form *f = NULL;
	struct gq_err e;

	if (form_load_text("fuzz.form", (const char *)data, size, &f, &e) == GQ_OK) {
		struct form_answers a;
		struct strbuf sb = STRBUF_INIT;
		size_t i;

		form_describe(f, 0, &sb);
		form_answers_init(&a);
		form_apply_defaults(f, &a);
		for (i = 0; i < form_field_count(f); i++)
			if (form_field_choice_count(f, i))
				form_answers_set(&a, form_field_id(f, i), form_field_choice_code(f, i, 0));
		form_answers_normalize(f, &a);
		form_check(f, &a, 0, &e);
		form_risk(f, &a);
		strbuf_reset(&sb);
		form_answers_to_json(f, &a, &sb);
		form_answers_release(&a);
		strbuf_release(&sb);
		form_free(&f);
	}
	return 0;
}
