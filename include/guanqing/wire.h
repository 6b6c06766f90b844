/* wire.h - a change as it travels in a bundle: the change record.
 *
 * The merge engine (merge.h) works on struct change and knows nothing of
 * bytes; this codec, in the sync layer, turns changes into the records of
 * a bundle and back (doc/bundle-format.md, "Change records"). Records of
 * one bundle share their strings: a table, field, origin, row, user or
 * village named before in the bundle is named again by a small number, so
 * the encoder and the decoder of a bundle each keep the same tables
 * (struct wire), fed with the records in their order. The tables are of
 * fixed size (slots reused in turn), so memory does not grow with the
 * bundle.
 */
#ifndef GUANQING_WIRE_H
#define GUANQING_WIRE_H

#include <stddef.h>
#include <stdint.h>

#include "guanqing/change.h"
#include "guanqing/db.h"
#include "guanqing/err.h"
#include "guanqing/strbuf.h"

/* The first byte of a change record of bundle format version 2. */
#define WIRE_RECORD_CHANGE 0x44

/* Slots of the string tables of one bundle, and the longest text value
 * kept in a slot (longer ones are written out each time). */
#define WIRE_ID_SLOTS 4096
#define WIRE_NAME_SLOTS 256
#define WIRE_VILLAGE_SLOTS 256
#define WIRE_TEXT_SLOTS 4096
#define WIRE_TEXT_SHORT 64

/* The state of one bundle's records, on the writing or the reading side. */
struct wire;

/* A new, empty state (for the first record of a bundle). */
struct wire *wire_new(void);
/* Free *w and set it to NULL. NULL and *w == NULL are allowed. */
void wire_free(struct wire **w);

/* Append the record of c to out, naming its strings through w. */
void wire_change_write(struct wire *w, const struct change *c, struct strbuf *out);

/* Append the record of change_log row seq of db to out (merge_change_load()
 * then wire_change_write()). */
enum gq_status wire_change_encode(struct wire *w, struct gq_db *db, int64_t seq,
				  struct strbuf *out, struct gq_err *err);

/* Decode one record from buf[0..len) into *c (release it with
 * merge_change_release() after, also on failure), through the tables of w
 * (the records of the bundle before it). With used non-NULL the record may
 * be followed by more bytes and *used receives its length; with used NULL
 * the record must fill len exactly. Anything malformed (truncated, a number
 * not in its shortest form or out of range, a byte outside a name's or an
 * id's alphabet, a length beyond the limits of change.h, a string named
 * before it was given) is GQ_ECORRUPT with a message saying what; w is then
 * not to be used for later records. */
enum gq_status wire_change_decode(struct wire *w, const void *buf, size_t len,
				  struct change *c, size_t *used, struct gq_err *err);

#endif
