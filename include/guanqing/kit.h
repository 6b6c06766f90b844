/* kit.h - the install kit on the stick: guanqing's Debian packages for
 * amd64 and i386, every runtime dependency, an install script, and a
 * manifest signed with the county's Ed25519 key.
 *
 * Layout of DIR (doc/install.md):
 *   MANIFEST          text: "guanqing-kit 1", version, county, signer,
 *                     then one line per file: "file HASH SIZE PATH", HASH
 *                     the BLAKE2b-256 of the file in hex; the .deb files of
 *                     each architecture in the order they are installed
 *                     (dependencies first, guanqing last)
 *   MANIFEST.sig      the Ed25519 signature of MANIFEST, in hex
 *   install.sh        installs with dpkg -i on a PC with no network
 *   county-sign.pub   the county's public signing key, trusted only at a
 *                     first install (the technician's own)
 *   amd64/, i386/     the .deb files of each architecture
 *
 * A kit verifies when the signature is the trusted key's, the signer line
 * names that key, every listed file is there with its size and hash, and
 * no other file is there. Nothing else on the stick is trusted.
 */
#ifndef GUANQING_KIT_H
#define GUANQING_KIT_H

#include <stddef.h>

#include "guanqing/db.h"
#include "guanqing/err.h"
#include "guanqing/keys.h"
#include "guanqing/strbuf.h"

#define KIT_MANIFEST "MANIFEST"
#define KIT_SIGNATURE "MANIFEST.sig"
#define KIT_SCRIPT "install.sh"
#define KIT_KEY_FILE "county-sign.pub"

/* What kit_write() is to do. */
struct kit_options {
	const char *out;	/* the kit's folder (made when missing) */
	const char *debs;	/* a folder of .deb files: guanqing's and the
				 * dependencies'; NULL: the current folder */
	const char *archs;	/* comma-separated, NULL: "amd64,i386" */
	int no_download;	/* never run apt-get download */
	const char *script;	/* the install script; NULL: kit-install.sh
				 * in paths_data_dir() */
};

/* County: write a kit into opt->out, signed with db's own signing key.
 * For each architecture, guanqing_*_ARCH.deb comes from opt->debs (the
 * newest version there), then the closure of its Depends and Pre-Depends
 * (first alternative of each), each from opt->debs or else fetched with
 * `apt-get download NAME:ARCH` into the kit. What was written is appended
 * to report. Returns GQ_OK; GQ_EPERM at a station; GQ_ENOTFOUND naming a
 * package that is neither in opt->debs nor can be fetched; GQ_EIO. */
enum gq_status kit_write(struct gq_db *db, const struct kit_options *opt,
			 struct strbuf *report, struct gq_err *err);

/* Verify the kit in dir against the trusted key: the signature, the
 * signer, every file's size and hash, no file beyond the manifest. On
 * GQ_OK, report gets a summary (version, files). Refusals are GQ_ECORRUPT
 * with a message naming the file and what is wrong. */
enum gq_status kit_verify(const char *dir, const unsigned char key[KEYS_SIGN_PUBLIC_BYTES],
			  struct strbuf *report, struct gq_err *err);

/* Read a public signing key in text form (keys.h) from the first line of
 * path. */
enum gq_status kit_read_key(const char *path, unsigned char key[KEYS_SIGN_PUBLIC_BYTES],
			    struct gq_err *err);

#endif
