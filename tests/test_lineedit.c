/* test_lineedit.c - the field editor: editing by character, limits, scroll. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "guanqing/err.h"
#include "guanqing/lineedit.h"
#include "guanqing/strbuf.h"
#include "guanqing/text.h"

#define ACUTE "\xcc\x81"	/* U+0301 COMBINING ACUTE ACCENT */

static void type(struct lineedit *le, const char *s)
{
	size_t len = strlen(s), used;
	uint32_t cp;

	while ((used = text_decode(s, len, &cp)) > 0) {
		assert_int_equal(lineedit_insert(le, cp, NULL), GQ_OK);
		s += used;
		len -= used;
	}
}

/* Every invariant the screens rely on. */
static void check_consistent(const struct lineedit *le)
{
	const char *t = lineedit_text(le);
	size_t i;

	assert_non_null(t);
	assert_int_equal(strlen(t), lineedit_bytes(le));
	assert_true(text_valid(t, strlen(t)));
	assert_int_equal(lineedit_length(le), text_length(t));
	assert_int_equal(lineedit_width(le), text_width(t));
	assert_true(lineedit_cursor(le) <= lineedit_length(le));
	for (i = 0; i < le->nchars; i++) {
		uint32_t cp;

		assert_int_equal(text_decode(t + le->chars[i].off,
					     strlen(t + le->chars[i].off), &cp),
				 le->chars[i].len);
		assert_int_equal(cp, le->chars[i].cp);
		assert_int_equal(le->chars[i].col,
				 text_width_n(t, le->chars[i].off));
		assert_false(text_is_control(cp));
	}
	assert_int_equal(le->chars[le->nchars].off, strlen(t));
	/* The cursor is never between a character and its marks. */
	if (lineedit_cursor(le) > 0 && lineedit_cursor(le) < le->nchars)
		assert_true(le->chars[lineedit_cursor(le)].width != 0);
	assert_int_equal(lineedit_cursor_col(le),
			 le->chars[lineedit_cursor(le)].col);
}

static void test_empty_field(void **state)
{
	struct lineedit le;
	struct lineedit_view v;
	struct strbuf sb = STRBUF_INIT;

	(void)state;
	lineedit_init(&le, 0);
	assert_string_equal(lineedit_text(&le), "");
	assert_int_equal(lineedit_length(&le), 0);
	assert_int_equal(lineedit_width(&le), 0);
	assert_int_equal(lineedit_cursor(&le), 0);
	assert_false(lineedit_backspace(&le));
	assert_false(lineedit_delete(&le));
	assert_false(lineedit_left(&le));
	assert_false(lineedit_right(&le));
	assert_false(lineedit_home(&le));
	assert_false(lineedit_end(&le));
	assert_false(lineedit_kill_end(&le));
	assert_false(lineedit_kill_start(&le));
	assert_false(lineedit_full(&le));
	lineedit_render(&le, 5, &sb, &v);
	assert_string_equal(sb.buf, "     ");
	assert_int_equal(v.cursor_col, 0);
	assert_false(v.more_left);
	assert_false(v.more_right);
	assert_int_equal(lineedit_insert_str(&le, NULL, NULL), GQ_OK);
	assert_int_equal(lineedit_insert_str(&le, "", NULL), GQ_OK);
	assert_int_equal(lineedit_set_text(&le, NULL, NULL), GQ_OK);
	assert_string_equal(lineedit_text(&le), "");
	check_consistent(&le);
	lineedit_release(&le);
	lineedit_release(&le);
	strbuf_release(&sb);
}

static void test_insert_and_offsets(void **state)
{
	struct lineedit le;
	static const size_t offs[] = { 0, 3, 6, 7, 8, 9 };
	static const size_t cols[] = { 0, 2, 4, 5, 6, 7 };
	size_t i;

	(void)state;
	lineedit_init(&le, 30);
	type(&le, "张三abc");
	assert_string_equal(lineedit_text(&le), "张三abc");
	assert_int_equal(lineedit_length(&le), 5);
	assert_int_equal(lineedit_bytes(&le), 9);
	assert_int_equal(lineedit_width(&le), 7);
	assert_int_equal(lineedit_cursor(&le), 5);
	assert_int_equal(lineedit_cursor_col(&le), 7);
	for (i = 0; i <= 5; i++) {
		assert_int_equal(le.chars[i].off, offs[i]);
		assert_int_equal(le.chars[i].col, cols[i]);
	}
	/* Cursor by character, column by width. */
	assert_true(lineedit_left(&le));
	assert_true(lineedit_left(&le));
	assert_int_equal(lineedit_cursor(&le), 3);
	assert_int_equal(lineedit_cursor_col(&le), 5);
	assert_true(lineedit_backspace(&le));	/* the a */
	assert_string_equal(lineedit_text(&le), "张三bc");
	assert_int_equal(lineedit_cursor(&le), 2);
	assert_int_equal(lineedit_cursor_col(&le), 4);
	assert_true(lineedit_backspace(&le));	/* 三, whole */
	assert_string_equal(lineedit_text(&le), "张bc");
	assert_int_equal(lineedit_cursor_col(&le), 2);
	type(&le, "李");
	assert_string_equal(lineedit_text(&le), "张李bc");
	assert_true(lineedit_home(&le));
	assert_true(lineedit_delete(&le));
	assert_string_equal(lineedit_text(&le), "李bc");
	assert_int_equal(lineedit_cursor(&le), 0);
	type(&le, "x");
	assert_string_equal(lineedit_text(&le), "x李bc");
	assert_true(lineedit_right(&le));
	assert_int_equal(lineedit_cursor_col(&le), 3);
	assert_true(lineedit_end(&le));
	assert_false(lineedit_right(&le));
	assert_false(lineedit_delete(&le));
	assert_int_equal(lineedit_cursor(&le), 4);
	check_consistent(&le);
	lineedit_release(&le);
}

static void test_kill(void **state)
{
	struct lineedit le;

	(void)state;
	lineedit_init(&le, 0);
	assert_int_equal(lineedit_set_text(&le, "欧阳·娜娜", NULL), GQ_OK);
	assert_int_equal(lineedit_cursor(&le), 5);
	assert_int_equal(lineedit_width(&le), 9);
	lineedit_set_cursor(&le, 3);
	assert_true(lineedit_kill_end(&le));
	assert_string_equal(lineedit_text(&le), "欧阳·");
	assert_int_equal(lineedit_cursor(&le), 3);
	assert_false(lineedit_kill_end(&le));
	assert_int_equal(lineedit_set_text(&le, "欧阳·娜娜", NULL), GQ_OK);
	lineedit_set_cursor(&le, 3);
	assert_true(lineedit_kill_start(&le));
	assert_string_equal(lineedit_text(&le), "娜娜");
	assert_int_equal(lineedit_cursor(&le), 0);
	assert_false(lineedit_kill_start(&le));
	lineedit_set_cursor(&le, 99);
	assert_int_equal(lineedit_cursor(&le), 2);
	assert_true(lineedit_kill_start(&le));
	assert_string_equal(lineedit_text(&le), "");
	check_consistent(&le);
	lineedit_release(&le);
}

static void test_combining_marks(void **state)
{
	struct lineedit le;

	(void)state;
	lineedit_init(&le, 10);
	type(&le, "e" ACUTE "x");
	assert_int_equal(lineedit_length(&le), 3);
	assert_int_equal(lineedit_width(&le), 2);
	assert_int_equal(lineedit_cursor(&le), 3);
	assert_true(lineedit_left(&le));
	assert_int_equal(lineedit_cursor(&le), 2);
	assert_true(lineedit_left(&le));	/* over é, mark and all */
	assert_int_equal(lineedit_cursor(&le), 0);
	assert_true(lineedit_right(&le));
	assert_int_equal(lineedit_cursor(&le), 2);
	assert_int_equal(lineedit_cursor_col(&le), 1);
	lineedit_set_cursor(&le, 1);		/* inside é: back to its start */
	assert_int_equal(lineedit_cursor(&le), 0);
	assert_true(lineedit_delete(&le));
	assert_string_equal(lineedit_text(&le), "x");
	/* A mark typed after a character joins it; backspace takes both. */
	type(&le, "a");
	assert_true(lineedit_end(&le));
	type(&le, ACUTE);
	assert_string_equal(lineedit_text(&le), "ax" ACUTE);
	assert_int_equal(lineedit_cursor(&le), 3);
	assert_true(lineedit_backspace(&le));
	assert_string_equal(lineedit_text(&le), "a");
	/* A mark typed before a character joins the one before. */
	assert_true(lineedit_home(&le));
	assert_int_equal(lineedit_set_text(&le, "ab", NULL), GQ_OK);
	lineedit_set_cursor(&le, 1);
	type(&le, ACUTE);
	assert_string_equal(lineedit_text(&le), "a" ACUTE "b");
	assert_int_equal(lineedit_cursor(&le), 2);
	/* A lone mark at the start stands by itself. */
	assert_int_equal(lineedit_set_text(&le, "", NULL), GQ_OK);
	type(&le, ACUTE);
	assert_int_equal(lineedit_length(&le), 1);
	assert_int_equal(lineedit_width(&le), 0);
	assert_int_equal(lineedit_cursor(&le), 1);
	assert_true(lineedit_backspace(&le));
	assert_int_equal(lineedit_length(&le), 0);
	check_consistent(&le);
	lineedit_release(&le);
}

static void test_refused_input(void **state)
{
	struct lineedit le;
	struct gq_err err;

	(void)state;
	lineedit_init(&le, 0);
	type(&le, "张三");
	assert_int_equal(lineedit_insert(&le, 0x07, &err), GQ_EINVAL);
	assert_non_null(strstr(err.msg, "U+0007"));
	assert_int_equal(lineedit_insert(&le, '\n', &err), GQ_EINVAL);
	assert_int_equal(lineedit_insert(&le, 0, &err), GQ_EINVAL);
	assert_int_equal(lineedit_insert(&le, 0x9B, &err), GQ_EINVAL);
	assert_int_equal(lineedit_insert(&le, 0xD800, &err), GQ_EINVAL);
	assert_int_equal(lineedit_insert(&le, 0x110000, &err), GQ_EINVAL);
	assert_int_equal(lineedit_insert(&le, 0x1F600, NULL), GQ_OK);
	assert_true(lineedit_backspace(&le));
	/* Invalid UTF-8 or control characters: nothing inserted. */
	assert_int_equal(lineedit_insert_str(&le, "李\xe5\xbc", &err),
			 GQ_EINVAL);
	assert_non_null(strstr(err.msg, "UTF-8"));
	assert_int_equal(lineedit_insert_str(&le, "\x1b[A", &err), GQ_EINVAL);
	assert_int_equal(lineedit_insert_str(&le, "a\xc0\xaf" "b", NULL),
			 GQ_EINVAL);
	assert_int_equal(lineedit_set_text(&le, "\xff", &err), GQ_EINVAL);
	assert_int_equal(lineedit_set_text(&le, "a\x7f", &err), GQ_EINVAL);
	assert_string_equal(lineedit_text(&le), "张三");
	assert_int_equal(lineedit_cursor(&le), 2);
	check_consistent(&le);
	lineedit_release(&le);
}

static void test_paste(void **state)
{
	struct lineedit le;

	(void)state;
	lineedit_init(&le, 0);
	assert_int_equal(lineedit_insert_str(&le, "单志强\n", NULL), GQ_OK);
	assert_string_equal(lineedit_text(&le), "单志强");
	assert_int_equal(lineedit_cursor(&le), 3);
	lineedit_set_cursor(&le, 1);
	assert_int_equal(lineedit_insert_str(&le, "a\tb", NULL), GQ_OK);
	assert_string_equal(lineedit_text(&le), "单a b志强");
	assert_int_equal(lineedit_cursor(&le), 4);
	assert_int_equal(lineedit_insert_str(&le, "x\r\ny\rz\r\n\r\n", NULL),
			 GQ_OK);
	assert_string_equal(lineedit_text(&le), "单a bx y z志强");
	assert_int_equal(lineedit_cursor(&le), 9);
	assert_int_equal(lineedit_set_text(&le, "商城县\t赤城街道\n", NULL),
			 GQ_OK);
	assert_string_equal(lineedit_text(&le), "商城县 赤城街道");
	check_consistent(&le);
	lineedit_release(&le);
}

static void test_limit(void **state)
{
	struct lineedit le;
	struct gq_err err;

	(void)state;
	lineedit_init(&le, 4);
	type(&le, "张三ab");
	assert_true(lineedit_full(&le));
	gq_err_clear(&err);
	assert_int_equal(lineedit_insert(&le, 'c', &err), GQ_EINVAL);
	assert_non_null(strstr(err.msg, "4"));
	assert_string_equal(lineedit_text(&le), "张三ab");
	assert_int_equal(lineedit_insert_str(&le, "c", &err), GQ_EINVAL);
	assert_true(lineedit_backspace(&le));
	assert_true(lineedit_backspace(&le));
	/* A paste goes in whole or not at all. */
	assert_int_equal(lineedit_insert_str(&le, "李四五", &err), GQ_EINVAL);
	assert_non_null(strstr(err.msg, "3"));
	assert_string_equal(lineedit_text(&le), "张三");
	assert_int_equal(lineedit_insert_str(&le, "李四\n", &err), GQ_OK);
	assert_string_equal(lineedit_text(&le), "张三李四");
	/* Combining marks count: a limit is in code points. */
	assert_true(lineedit_backspace(&le));
	assert_int_equal(lineedit_insert_str(&le, "e" ACUTE, &err), GQ_EINVAL);
	assert_int_equal(lineedit_insert(&le, 'e', &err), GQ_OK);
	assert_int_equal(lineedit_insert(&le, 0x301, &err), GQ_EINVAL);
	/* A stored value longer than the limit is shown; only inserts are
	 * refused, deleting works. */
	assert_int_equal(lineedit_set_text(&le, "尉迟恭敬德", &err), GQ_OK);
	assert_int_equal(lineedit_length(&le), 5);
	assert_int_equal(lineedit_insert(&le, 'x', &err), GQ_EINVAL);
	assert_true(lineedit_backspace(&le));
	assert_true(lineedit_full(&le));
	lineedit_set_max(&le, 0);
	assert_false(lineedit_full(&le));
	assert_int_equal(lineedit_insert(&le, 'x', &err), GQ_OK);
	check_consistent(&le);
	lineedit_release(&le);
}

static void render(struct lineedit *le, size_t width, const char *want,
		   size_t want_cursor_col)
{
	struct strbuf sb = STRBUF_INIT;
	struct lineedit_view v;

	lineedit_render(le, width, &sb, &v);
	if (strcmp(sb.buf, want))
		fail_msg("width %zu: \"%s\", want \"%s\"", width, sb.buf, want);
	assert_int_equal(text_width(sb.buf), width);
	assert_int_equal(v.cursor_col, want_cursor_col);
	strbuf_release(&sb);
}

static void test_scroll(void **state)
{
	struct lineedit le;
	struct lineedit_view v;
	int i;

	(void)state;
	lineedit_init(&le, 0);
	/* cols: 张0 三2 李4 四6 王8 五10 a12 b13 c14, end 15 */
	type(&le, "张三李四王五abc");
	render(&le, 6, "五abc ", 5);
	lineedit_view(&le, 6, &v);
	assert_int_equal(v.first, 5);
	assert_int_equal(v.end, 9);
	assert_true(v.more_left);
	assert_false(v.more_right);
	/* Moving left inside the field does not scroll. */
	for (i = 0; i < 4; i++)
		assert_true(lineedit_left(&le));
	render(&le, 6, "五abc ", 0);
	/* One more: the field follows the cursor, a whole character. */
	assert_true(lineedit_left(&le));
	render(&le, 6, "王五ab", 0);
	lineedit_home(&le);
	render(&le, 6, "张三李", 0);
	lineedit_view(&le, 6, &v);
	assert_false(v.more_left);
	assert_true(v.more_right);
	/* Right to 四 (cols 6-7): the window moves by whole characters. */
	for (i = 0; i < 3; i++)
		assert_true(lineedit_right(&le));
	render(&le, 6, "三李四", 4);
	/* A wide character that would be cut at the right edge is left out
	 * and its column padded. */
	lineedit_home(&le);
	render(&le, 5, "张三 ", 0);
	render(&le, 7, "张三李 ", 0);
	/* Backspacing at the end scrolls back to keep the field full. */
	lineedit_end(&le);
	render(&le, 6, "五abc ", 5);
	for (i = 0; i < 3; i++)
		assert_true(lineedit_backspace(&le));
	render(&le, 6, "王五  ", 4);
	lineedit_view(&le, 6, &v);
	assert_int_equal(v.first, 4);
	/* Text that fits shows whole from the start. */
	assert_true(lineedit_kill_start(&le));
	type(&le, "ab");
	render(&le, 6, "ab    ", 2);
	/* Degenerate widths do not crash. */
	assert_int_equal(lineedit_set_text(&le, "张三", NULL), GQ_OK);
	lineedit_home(&le);
	render(&le, 1, " ", 0);
	render(&le, 0, "", 0);
	lineedit_end(&le);
	render(&le, 1, " ", 0);
	render(&le, 2, "  ", 0);
	render(&le, 3, "三 ", 2);
	check_consistent(&le);
	lineedit_release(&le);
}

/* Random keys and texts, with the invariants checked after each. */
static void test_random_edits(void **state)
{
	static const char *pieces[] = {
		"张", "三", "a", "欧阳·娜娜", "e" ACUTE, ACUTE, "😀", "\xe5\xbc",
		"\t", "x\ny", "商城县", "\x01", "Ｂ", "", " ",
	};
	struct lineedit le;
	uint32_t seed = 42;
	int i;

	(void)state;
	lineedit_init(&le, 25);
	for (i = 0; i < 20000; i++) {
		unsigned op;
		size_t width, j;
		struct strbuf sb = STRBUF_INIT;
		struct lineedit_view v;

		seed = seed * 1103515245u + 12345u;
		op = (seed >> 16) % 12;
		switch (op) {
		case 0: case 1: case 2:
			lineedit_insert_str(&le, pieces[(seed >> 8) %
				(sizeof(pieces) / sizeof(pieces[0]))], NULL);
			break;
		case 3: lineedit_backspace(&le); break;
		case 4: lineedit_delete(&le); break;
		case 5: lineedit_left(&le); break;
		case 6: lineedit_right(&le); break;
		case 7: lineedit_home(&le); break;
		case 8: lineedit_end(&le); break;
		case 9:
			if ((seed >> 9) % 4 == 0)
				lineedit_kill_end(&le);
			else
				lineedit_set_cursor(&le, (seed >> 10) % 30);
			break;
		case 10:
			if ((seed >> 9) % 4 == 0)
				lineedit_kill_start(&le);
			else
				lineedit_insert(&le, (seed >> 3) % 0x30000,
						NULL);
			break;
		default:
			lineedit_insert(&le, 0x4E00 + (seed >> 8) % 100, NULL);
		}
		check_consistent(&le);
		assert_true(lineedit_length(&le) <= 25);
		for (width = 0; width <= 12; width += 3) {
			strbuf_reset(&sb);
			lineedit_render(&le, width, &sb, &v);
			assert_int_equal(text_width(sb.buf), width);
			assert_true(v.cols <= width);
			assert_true(v.first <= lineedit_cursor(&le));
			assert_true(lineedit_cursor(&le) <= v.end ||
				    width < 2);
			if (width >= 2) {
				assert_true(v.cursor_col < width);
				/* The cursor's character is whole inside. */
				j = lineedit_cursor(&le);
				if (j < le.nchars)
					assert_true(v.cursor_col +
						    le.chars[j].width <= width);
			}
			assert_int_equal(v.cols,
					 text_width_n(lineedit_text(&le) +
						      le.chars[v.first].off,
						      le.chars[v.end].off -
						      le.chars[v.first].off));
		}
		strbuf_release(&sb);
	}
	lineedit_release(&le);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty_field),
		cmocka_unit_test(test_insert_and_offsets),
		cmocka_unit_test(test_kill),
		cmocka_unit_test(test_combining_marks),
		cmocka_unit_test(test_refused_input),
		cmocka_unit_test(test_paste),
		cmocka_unit_test(test_limit),
		cmocka_unit_test(test_scroll),
		cmocka_unit_test(test_random_edits),
	};

	return cmocka_run_group_tests_name("lineedit", tests, NULL, NULL);
}
