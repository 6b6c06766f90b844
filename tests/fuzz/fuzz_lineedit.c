/* fuzz_lineedit.c - the field editor (screens/lineedit.c): the input is a
 * list of operations on one field (a byte says which, the bytes after it
 * are their text), each followed by drawing the field at some width. */
#include "config.h"

#include "fuzz.h"
#include "guanqing/lineedit.h"
#include "guanqing/strbuf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct lineedit le;
	struct strbuf out = STRBUF_INIT;
	struct lineedit_view view;
	struct gq_err e;
	size_t off = 0;

	if (size < 1)
		return 0;
	lineedit_init(&le, data[0] % 64);
	off = 1;
	while (off < size) {
		unsigned op = data[off++];
		size_t n = off < size ? data[off] % 16 : 0;
		char text[17];

		if (off < size)
			off++;
		if (n > size - off)
			n = size - off;
		memcpy(text, data + off, n);
		text[n] = '\0';
		switch (op % 14) {
		case 0: lineedit_insert_str(&le, text, &e); off += n; break;
		case 1: lineedit_insert(&le, n ? (uint32_t)text[0] | (uint32_t)op << 8 : 0x5f20, &e); break;
		case 2: lineedit_set_text(&le, text, &e); off += n; break;
		case 3: lineedit_delete(&le); break;
		case 4: lineedit_backspace(&le); break;
		case 5: lineedit_left(&le); break;
		case 6: lineedit_right(&le); break;
		case 7: lineedit_home(&le); break;
		case 8: lineedit_end(&le); break;
		case 9: lineedit_kill_end(&le); break;
		case 10: lineedit_kill_start(&le); break;
		case 11: lineedit_set_cursor(&le, n); break;
		case 12: lineedit_set_max(&le, n * 3); break;
		default: lineedit_view(&le, n + 1, &view); break;
		}
		strbuf_reset(&out);
		lineedit_render(&le, (op >> 4) + 1, &out, &view);
		(void)lineedit_text(&le);
		(void)lineedit_width(&le);
	}
	strbuf_release(&out);
	lineedit_release(&le);
	return 0;
}
