/* bundle.h - the bundle file: a signed, encrypted, compressed stream of
 * opaque records from one place to another.
 *
 * This layer knows nothing of the database: the merge layer hands it byte
 * strings (records) and reads them back. The byte layout is in
 * doc/bundle-format.md. In short:
 *
 *   header (clear)  magic, format and schema versions, sender and recipient
 *                   ids, bundle number, change range, sender's clock,
 *                   lengths, a header checksum, then the acknowledgements
 *   sealed key      the payload key, crypto_box_seal'd to the recipient
 *   ciphertext      records, length-prefixed, zlib-compressed, encrypted
 *                   with crypto_secretstream_xchacha20poly1305 in chunks
 *   signature       Ed25519 by the sender over header, sealed key and the
 *                   BLAKE2b hash of the ciphertext
 *   checksum        unkeyed BLAKE2b over all of it: a damaged file
 *                   (checksum wrong) is told from a forged one (checksum
 *                   right, signature wrong)
 *
 * Memory does not grow with the payload: writer and readers work in fixed
 * chunks; the largest buffer is one record, at most BUNDLE_RECORD_MAX.
 *
 * Reading is done twice by design: bundle_verify() checks everything
 * without handing out a record, so that nothing is applied from a bad
 * bundle; then bundle_reader_open()/bundle_reader_next() hand the records
 * out and check everything again (the file may have changed between the
 * two passes; the end of the records is only reported once the whole file
 * checked out again).
 */
#ifndef GUANQING_BUNDLE_H
#define GUANQING_BUNDLE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "guanqing/err.h"
#include "guanqing/keys.h"

/* The format version written. The file layout of versions 1 and 2 is the
 * same (this layer reads both: a backup of version 1 still restores); their
 * records differ, and an import of changes takes version 2 only
 * (doc/bundle-format.md). */
#define BUNDLE_FORMAT_VERSION 2
#define BUNDLE_FORMAT_OLDEST 1
/* Ids are UUIDs in text: 36 characters, lower-case hex and "-". */
#define BUNDLE_ID_LEN 36
/* The largest record, and the largest acknowledgements blob. */
#define BUNDLE_RECORD_MAX (16u * 1024 * 1024)
#define BUNDLE_ACKS_MAX (1u * 1024 * 1024)
/* By default a bundle file stays under 4 GiB, the largest file FAT32 holds. */
#define BUNDLE_DEFAULT_MAX_SIZE UINT64_C(0xFFFFFFFF)
/* The suffix of bundle file names. */
#define BUNDLE_FILE_SUFFIX ".gqb"
/* Room for bundle_file_name(): id, "-", 20 digits, suffix, NUL. */
#define BUNDLE_FILE_NAME_SIZE (BUNDLE_ID_LEN + 1 + 20 + 4 + 1)

/* Why a bundle was refused. Every refusal also returns a gq_status
 * (GQ_ECORRUPT for all but BUNDLE_EREAD, which is GQ_EIO) and a message
 * that names the file. */
enum bundle_reason {
	BUNDLE_OK = 0,
	BUNDLE_EREAD,		/* the file could not be opened or read */
	BUNDLE_EMAGIC,		/* not a bundle (bad magic) */
	BUNDLE_EVERSION,	/* unsupported format version */
	BUNDLE_ETRUNCATED,	/* shorter than its header says */
	BUNDLE_ETRAILING,	/* data after the end */
	BUNDLE_ECHECKSUM,	/* damaged: a checksum does not match */
	BUNDLE_EHEADER,		/* header fields malformed (checksum right) */
	BUNDLE_ERECIPIENT,	/* not addressed to us */
	BUNDLE_ESIGNATURE,	/* forged, or not the sender's known key */
	BUNDLE_EDECRYPT,	/* decryption failed */
	BUNDLE_EDECOMPRESS,	/* decompression failed */
	BUNDLE_ERECORDS,	/* malformed records */
	BUNDLE_REASON_MAX
};

/* The header of a bundle. The writer takes the fields marked (in) from the
 * caller and fills those marked (out); the readers fill all of them.
 * Fields read by bundle_peek_header() are not yet trusted: only
 * bundle_verify() vouches for them. */
struct bundle_header {
	uint16_t format_version;		/* (out) */
	uint32_t schema_version;		/* (in) */
	char sender[BUNDLE_ID_LEN + 1];		/* (in) lower-case UUID */
	char recipient[BUNDLE_ID_LEN + 1];	/* (in) lower-case UUID */
	uint64_t number;			/* (in) per-sender number */
	uint64_t first_change;			/* (in) opaque range */
	uint64_t last_change;			/* (in) */
	int64_t clock_wall_ms;			/* (in) sender's wall clock */
	int64_t clock_hlc;			/* (in) sender's HLC */
	unsigned char *acks;			/* (in) owned, may be NULL */
	size_t acks_len;			/* (in) <= BUNDLE_ACKS_MAX */
	uint32_t chunk_size;			/* (out) */
	uint64_t record_count;			/* (out) */
	uint64_t plain_len;			/* (out) framed, uncompressed */
	uint64_t compressed_len;		/* (out) */
	uint64_t cipher_len;			/* (out) */
	uint64_t file_len;			/* (out) the whole file */
};

/* Zero *h. */
void bundle_header_init(struct bundle_header *h);
/* Free h->acks and zero *h. NULL is allowed. */
void bundle_header_release(struct bundle_header *h);
/* Replace h->acks with a copy of len bytes at acks (NULL/0: none).
 * Returns GQ_EINVAL when len > BUNDLE_ACKS_MAX. */
enum gq_status bundle_header_set_acks(struct bundle_header *h,
				      const void *acks, size_t len,
				      struct gq_err *err);

/* A short translated name of a reason ("damaged (checksum mismatch)"). */
const char *bundle_reason_str(enum bundle_reason reason);

/* Write the usual file name of a bundle, "<sender>-<number, 20 digits>.gqb",
 * into out (BUNDLE_FILE_NAME_SIZE bytes). Names sort by sender, then
 * number. */
void bundle_file_name(const char *sender, uint64_t number,
		      char out[BUNDLE_FILE_NAME_SIZE]);

/* Whether s is a UUID in canonical text (36 characters, lower-case). */
int bundle_id_valid(const char *s);

/* ---- Writing ---- */

struct bundle_writer;

/* Start a bundle on f, which must be open for writing, seekable and not in
 * append mode (a regular file: the header is written again at the end with
 * the lengths); the bundle starts at f's current position. The writer does not close f.
 * h gives the (in) fields; its acks are copied. sender holds the sender's
 * secret signing key; recipient the recipient's public box key. name is
 * the file's name for messages (may be NULL). On GQ_OK *w is the writer
 * (free with bundle_writer_free). Returns GQ_EINVAL for a bad header
 * field (id not a UUID, acks too large) or an unseekable f, GQ_EIO when
 * writing fails. */
enum gq_status bundle_writer_open(struct bundle_writer **w, FILE *f,
				  const struct bundle_header *h,
				  const struct keys_own *sender,
				  const struct keys_public *recipient,
				  const char *name, struct gq_err *err);

/* As bundle_writer_open() on a file descriptor (a duplicate is used and
 * closed by bundle_writer_free; fd itself stays open). */
enum gq_status bundle_writer_open_fd(struct bundle_writer **w, int fd,
				     const struct bundle_header *h,
				     const struct keys_own *sender,
				     const struct keys_public *recipient,
				     const char *name, struct gq_err *err);

/* Limit the size of the whole file (default BUNDLE_DEFAULT_MAX_SIZE, for
 * FAT32). Call before adding records. */
void bundle_writer_set_max_size(struct bundle_writer *w, uint64_t max);

/* Add one record of len bytes (len may be 0; rec may then be NULL).
 * Returns GQ_EINVAL for a record over BUNDLE_RECORD_MAX or when the file
 * would grow past the size limit (the message says so: the caller splits
 * its changes over several bundles), GQ_EIO when writing fails. After any
 * failure the writer refuses everything and the file is to be thrown
 * away. */
enum gq_status bundle_writer_add(struct bundle_writer *w, const void *rec,
				 size_t len, struct gq_err *err);

/* Finish: flush the last chunk, write the final header, the signature and
 * the checksum, and fflush f (the caller fsyncs and closes it). Returns
 * GQ_OK, GQ_EINVAL (size limit) or GQ_EIO. */
enum gq_status bundle_writer_finish(struct bundle_writer *w,
				    struct gq_err *err);

/* The header as written so far: every field is final after a successful
 * bundle_writer_finish(). Owned by the writer. */
const struct bundle_header *bundle_writer_header(const struct bundle_writer *w);

/* Free the writer and set *w to NULL, wiping the payload key. NULL and
 * *w == NULL are allowed. */
void bundle_writer_free(struct bundle_writer **w);

/* ---- Reading ---- */

/* Read the clear header of the bundle at path into *h (may be NULL; it is
 * overwritten, not released first: release it with bundle_header_release
 * afterwards, also after a failure), so that the caller can
 * tell "not addressed to us", "unknown sender" or "wrong schema" before
 * decrypting. Checks the magic, the version, the header checksum, the
 * header fields and the file's length against the header; nothing more,
 * so the fields are not yet trusted. *reason (may be NULL) gets the
 * refusal reason or BUNDLE_OK. Returns GQ_OK, GQ_ECORRUPT or GQ_EIO. */
enum gq_status bundle_peek_header(const char *path, struct bundle_header *h,
				  enum bundle_reason *reason,
				  struct gq_err *err);

/* Check the bundle at path as its sender can, without decrypting: all of
 * bundle_peek_header(), the checksum, and the signature when sender is not
 * NULL. Used to read a bundle back after writing it to a stick. Arguments
 * and return as for bundle_verify(). */
enum gq_status bundle_check(const char *path, const struct keys_public *sender,
			    struct bundle_header *h,
			    enum bundle_reason *reason, struct gq_err *err);

/* Check the whole bundle at path in one pass without handing out records:
 * lengths, header, that it is addressed to our_id (the recipient field,
 * compared without regard to case), the checksum, the signature by the
 * key sender->sign, the decryption with ours->box_secret, the
 * decompression and the record framing. *h (may be NULL) gets the header
 * as bundle_peek_header() fills it (release it, also after a failure).
 * *reason (may be NULL) gets the reason. Where several things are wrong,
 * damage is reported before a bad signature, and a bad signature before
 * anything inside the payload (doc/bundle-format.md gives the whole
 * order). Returns GQ_OK;
 * GQ_ECORRUPT with a message that names the file and the reason; GQ_EIO
 * (BUNDLE_EREAD) when it cannot be read; GQ_EINVAL when our_id is not a
 * UUID. */
enum gq_status bundle_verify(const char *path, const char *our_id,
			     const struct keys_own *ours,
			     const struct keys_public *sender,
			     struct bundle_header *h,
			     enum bundle_reason *reason, struct gq_err *err);

struct bundle_reader;

/* Open the bundle at path for reading its records, with the same
 * arguments and the same checks of the clear parts as bundle_verify(); the
 * checks of the payload happen as bundle_reader_next() goes. On GQ_OK *r
 * is the reader (free with bundle_reader_free). On failure *r is NULL and
 * *reason (may be NULL) says why. */
enum gq_status bundle_reader_open(struct bundle_reader **r, const char *path,
				  const char *our_id,
				  const struct keys_own *ours,
				  const struct keys_public *sender,
				  enum bundle_reason *reason,
				  struct gq_err *err);

/* The header of an open reader. Owned by the reader. */
const struct bundle_header *bundle_reader_header(const struct bundle_reader *r);

/* Hand out the next record: on GQ_OK, *rec points at *len bytes owned by
 * the reader and valid until the next call, or *rec is NULL at the end of
 * the bundle. The end is reported only after the record count and
 * lengths, the checksum and the signature of the whole file have been
 * checked again. On failure (GQ_ECORRUPT, GQ_EIO), bundle_reader_reason()
 * says why and the caller throws away whatever it did with the records. */
enum gq_status bundle_reader_next(struct bundle_reader *r,
				  const unsigned char **rec, size_t *len,
				  struct gq_err *err);

/* The reason of the reader's failure, or BUNDLE_OK. */
enum bundle_reason bundle_reader_reason(const struct bundle_reader *r);

/* Close the file, wipe the key, free the reader, set *r to NULL. NULL and
 * *r == NULL are allowed. */
void bundle_reader_free(struct bundle_reader **r);

#endif
