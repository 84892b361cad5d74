/* pdf_post.c: finishes the PDF that cairo wrote with what cairo 1.16 cannot
 * write: the document language (/Lang), alternate text on Figure structure
 * elements, /ViewerPreferences /DisplayDocTitle, tab order along the
 * structure on every page, content painted outside the structure
 * (running headers and footers, rules, borders) marked as artifacts (see
 * pdf_artifact.c), and a deterministic /ID so the same input gives the same
 * bytes. pdf_rewrite.c does it in one pass for the files cairo writes; this
 * file is the general path, through qpdf's C API, for anything else. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <dlfcn.h>

#include <qpdf/qpdf-c.h>

#include "pdf.h"

/* qpdf is needed only when pdf_rewrite.c cannot finish a file, so it is
 * loaded on first use: linked in, it and what it brings (libstdc++, gnutls
 * and a dozen more) cost every sheaf run ~30 ms of dynamic linking. */
#define QPDF_FUNCS(X)                                                                              \
  X(qpdf_cleanup)                                                                                  \
  X(qpdf_get_error)                                                                                \
  X(qpdf_get_error_full_text)                                                                      \
  X(qpdf_get_num_pages)                                                                            \
  X(qpdf_get_page_n)                                                                               \
  X(qpdf_get_root)                                                                                 \
  X(qpdf_get_trailer)                                                                              \
  X(qpdf_has_error)                                                                                \
  X(qpdf_init)                                                                                     \
  X(qpdf_init_write)                                                                               \
  X(qpdf_oh_get_array_item)                                                                        \
  X(qpdf_oh_get_array_n_items)                                                                     \
  X(qpdf_oh_get_key)                                                                               \
  X(qpdf_oh_get_stream_data)                                                                       \
  X(qpdf_oh_has_key)                                                                               \
  X(qpdf_oh_is_array)                                                                              \
  X(qpdf_oh_is_dictionary)                                                                         \
  X(qpdf_oh_is_name_and_equals)                                                                    \
  X(qpdf_oh_is_stream)                                                                             \
  X(qpdf_oh_new_name)                                                                              \
  X(qpdf_oh_new_null)                                                                              \
  X(qpdf_oh_new_unicode_string)                                                                    \
  X(qpdf_oh_parse)                                                                                 \
  X(qpdf_oh_replace_key)                                                                           \
  X(qpdf_oh_replace_stream_data)                                                                   \
  X(qpdf_read_memory)                                                                              \
  X(qpdf_set_deterministic_ID)                                                                     \
  X(qpdf_set_object_stream_mode)                                                                   \
  X(qpdf_set_suppress_warnings)                                                                    \
  X(qpdf_silence_errors)                                                                           \
  X(qpdf_write)

static struct {
#define X(f) __typeof__(f) *f;
  QPDF_FUNCS(X)
#undef X
} qpdf_api;

/* 0 when qpdf's functions are loaded, else -1 with err set. */
static int qpdf_load(sheaf_err *err) {
  static int state; /* 0: not tried, 1: loaded, -1: failed */
  static char why[256];
  if (state == 0) {
    void *h = dlopen("libqpdf.so.29", RTLD_NOW | RTLD_LOCAL);
    if (!h)
      h = dlopen("libqpdf.so", RTLD_NOW | RTLD_LOCAL);
    if (!h)
      snprintf(why, sizeof why, "cannot load qpdf: %s", dlerror());
#define X(f)                                                                                       \
  if (h && !(qpdf_api.f = (__typeof__(f) *)dlsym(h, #f))) {                                        \
    snprintf(why, sizeof why, "cannot load qpdf: no %s", #f);                                      \
    h = NULL;                                                                                      \
  }
    QPDF_FUNCS(X)
#undef X
    state = h ? 1 : -1;
  }
  if (state < 0) {
    sheaf_err_set(err, "", 0, 0, "%s", why);
    return -1;
  }
  return 0;
}

#define qpdf_cleanup (*qpdf_api.qpdf_cleanup)
#define qpdf_get_error (*qpdf_api.qpdf_get_error)
#define qpdf_get_error_full_text (*qpdf_api.qpdf_get_error_full_text)
#define qpdf_get_num_pages (*qpdf_api.qpdf_get_num_pages)
#define qpdf_get_page_n (*qpdf_api.qpdf_get_page_n)
#define qpdf_get_root (*qpdf_api.qpdf_get_root)
#define qpdf_get_trailer (*qpdf_api.qpdf_get_trailer)
#define qpdf_has_error (*qpdf_api.qpdf_has_error)
#define qpdf_init (*qpdf_api.qpdf_init)
#define qpdf_init_write (*qpdf_api.qpdf_init_write)
#define qpdf_oh_get_array_item (*qpdf_api.qpdf_oh_get_array_item)
#define qpdf_oh_get_array_n_items (*qpdf_api.qpdf_oh_get_array_n_items)
#define qpdf_oh_get_key (*qpdf_api.qpdf_oh_get_key)
#define qpdf_oh_get_stream_data (*qpdf_api.qpdf_oh_get_stream_data)
#define qpdf_oh_has_key (*qpdf_api.qpdf_oh_has_key)
#define qpdf_oh_is_array (*qpdf_api.qpdf_oh_is_array)
#define qpdf_oh_is_dictionary (*qpdf_api.qpdf_oh_is_dictionary)
#define qpdf_oh_is_name_and_equals (*qpdf_api.qpdf_oh_is_name_and_equals)
#define qpdf_oh_is_stream (*qpdf_api.qpdf_oh_is_stream)
#define qpdf_oh_new_name (*qpdf_api.qpdf_oh_new_name)
#define qpdf_oh_new_null (*qpdf_api.qpdf_oh_new_null)
#define qpdf_oh_new_unicode_string (*qpdf_api.qpdf_oh_new_unicode_string)
#define qpdf_oh_parse (*qpdf_api.qpdf_oh_parse)
#define qpdf_oh_replace_key (*qpdf_api.qpdf_oh_replace_key)
#define qpdf_oh_replace_stream_data (*qpdf_api.qpdf_oh_replace_stream_data)
#define qpdf_read_memory (*qpdf_api.qpdf_read_memory)
#define qpdf_set_deterministic_ID (*qpdf_api.qpdf_set_deterministic_ID)
#define qpdf_set_object_stream_mode (*qpdf_api.qpdf_set_object_stream_mode)
#define qpdf_set_suppress_warnings (*qpdf_api.qpdf_set_suppress_warnings)
#define qpdf_silence_errors (*qpdf_api.qpdf_silence_errors)
#define qpdf_write (*qpdf_api.qpdf_write)

typedef struct walk_state {
  pdf_doc *d;
  int next_alt;
  int depth;
} walk_state;

/* Visits structure elements depth-first in /K order, which is the order
 * cairo created them in, and so the order of pdf_doc.alts. */
static void walk(qpdf_data q, qpdf_oh elem, walk_state *ws) {
  if (ws->depth > 200)
    return;
  if (qpdf_oh_is_dictionary(q, elem)) {
    qpdf_oh s = qpdf_oh_get_key(q, elem, "/S");
    if (qpdf_oh_is_name_and_equals(q, s, "/Figure") && ws->next_alt < ws->d->nalts) {
      const char *alt = ws->d->alts[ws->next_alt++];
      if (alt && *alt)
        qpdf_oh_replace_key(q, elem, "/Alt", qpdf_oh_new_unicode_string(q, alt));
    }
    qpdf_oh k = qpdf_oh_get_key(q, elem, "/K");
    ws->depth++;
    if (qpdf_oh_is_array(q, k)) {
      int n = qpdf_oh_get_array_n_items(q, k);
      for (int i = 0; i < n; i++)
        walk(q, qpdf_oh_get_array_item(q, k, i), ws);
    } else if (qpdf_oh_is_dictionary(q, k))
      walk(q, k, ws);
    ws->depth--;
  }
}

/* Rewrites the page's content stream with its unmarked painting wrapped as
 * artifacts. A page whose stream cannot be read or parsed is left as it is,
 * with a warning: an untagged header is better than a broken page. */
static void mark_artifacts(pdf_doc *d, qpdf_data q, qpdf_oh page, int pageno) {
  qpdf_oh contents = qpdf_oh_get_key(q, page, "/Contents");
  if (qpdf_oh_is_array(q, contents) && qpdf_oh_get_array_n_items(q, contents) == 1)
    contents = qpdf_oh_get_array_item(q, contents, 0);
  if (!qpdf_oh_is_stream(q, contents)) {
    pdf_warn(d,
             "page %d: content is not a single stream; headers and footers not marked as "
             "artifacts",
             pageno);
    return;
  }
  unsigned char *data = NULL, *out = NULL;
  size_t len = 0, outlen = 0;
  QPDF_BOOL filtered = QPDF_FALSE;
  int nwrapped = 0;
  const char *why = NULL;
  if ((qpdf_oh_get_stream_data(q, contents, qpdf_dl_generalized, &filtered, &data, &len) &
       QPDF_ERRORS) ||
      !filtered)
    why = "cannot decode the content stream";
  else if (pdf_artifact_wrap(data, len, &out, &outlen, &nwrapped, &why) == 0 && nwrapped > 0)
    qpdf_oh_replace_stream_data(q, contents, out, outlen, qpdf_oh_new_null(q), qpdf_oh_new_null(q));
  if (why)
    pdf_warn(d, "page %d: %s; headers and footers not marked as artifacts", pageno, why);
  free(data);
  free(out);
}

/* Frees q. */
static int fail(qpdf_data q, sheaf_err *err, const char *path) {
  const char *msg = "qpdf failed";
  if (qpdf_has_error(q))
    msg = qpdf_get_error_full_text(q, qpdf_get_error(q));
  sheaf_err_set(err, path, 0, 0, "%s", msg);
  qpdf_cleanup(&q);
  return -1;
}

int pdf_post(pdf_doc *d, const unsigned char *in, size_t len, const char *out_path,
             sheaf_err *err) {
  /* SHEAF_PDF_QPDF=1 takes the general path, so the tests can compare */
  const char *general = getenv("SHEAF_PDF_QPDF");
  if (!(general && strcmp(general, "1") == 0)) {
    int rc = pdf_rewrite(d, in, len, out_path, err);
    pdf_ahead_free(d->ahead);
    d->ahead = NULL;
    if (rc <= 0)
      return rc;
  }
  const char *in_path = "cairo output";
  if (qpdf_load(err) != 0)
    return -1;
  qpdf_data q = qpdf_init();
  qpdf_silence_errors(q);
  qpdf_set_suppress_warnings(q, 1);
  if (qpdf_read_memory(q, in_path, (const char *)in, (unsigned long long)len, NULL) & QPDF_ERRORS)
    return fail(q, err, in_path);
  qpdf_oh root = qpdf_get_root(q);
  const char *lang = d->meta[6] && *d->meta[6] ? d->meta[6] : "en";
  qpdf_oh_replace_key(q, root, "/Lang", qpdf_oh_new_unicode_string(q, lang));
  if (!qpdf_oh_has_key(q, root, "/MarkInfo"))
    qpdf_oh_replace_key(q, root, "/MarkInfo", qpdf_oh_parse(q, "<< /Marked true >>"));
  qpdf_oh_replace_key(q, root, "/ViewerPreferences",
                      qpdf_oh_parse(q, "<< /DisplayDocTitle true >>"));
  qpdf_oh_replace_key(q, root, "/PageMode", qpdf_oh_new_name(q, "/UseOutlines"));
  qpdf_oh tree = qpdf_oh_get_key(q, root, "/StructTreeRoot");
  if (qpdf_oh_is_dictionary(q, tree)) {
    walk_state ws = {d, 0, 0};
    walk(q, tree, &ws);
  }
  int n = qpdf_get_num_pages(q);
  /* SHEAF_PDF_ARTIFACTS=0 leaves the streams as cairo wrote them, so the
   * tests can show that their artifact check fails without this step. */
  const char *env = getenv("SHEAF_PDF_ARTIFACTS");
  int skip_artifacts = env && strcmp(env, "0") == 0;
  for (int i = 0; i < n; i++) {
    qpdf_oh page = qpdf_get_page_n(q, (size_t)i);
    qpdf_oh_replace_key(q, page, "/Tabs", qpdf_oh_new_name(q, "/S"));
    if (!skip_artifacts)
      mark_artifacts(d, q, page, i + 1);
  }
  qpdf_oh trailer = qpdf_get_trailer(q);
  qpdf_oh info = qpdf_oh_get_key(q, trailer, "/Info");
  if (qpdf_oh_is_dictionary(q, info))
    qpdf_oh_replace_key(
        q, info, "/Producer",
        qpdf_oh_new_unicode_string(q, "sheaf " SHEAF_VERSION " (cairo, pango, qpdf)"));
  if (qpdf_has_error(q))
    return fail(q, err, in_path);
  if (qpdf_init_write(q, out_path) & QPDF_ERRORS)
    return fail(q, err, out_path);
  qpdf_set_deterministic_ID(q, 1);
  qpdf_set_object_stream_mode(q, qpdf_o_generate);
  if (qpdf_write(q) & QPDF_ERRORS)
    return fail(q, err, out_path);
  qpdf_cleanup(&q);
  return 0;
}
