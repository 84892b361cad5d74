/* pdf.h: the page-layout engine behind sheaf.pdf, shared by the pdf_*.c files.
 *
 * Layout and painting are two passes. Every call that places something (a
 * paragraph, a table row, an image) appends operations to a display list: a
 * line of text at a position on a page, a rectangle, a structure tag opening
 * or closing. Nothing is painted until pdf_render(), when the page count is
 * known, so "Page 3 of 8" and table-of-contents page numbers are filled in
 * then. Because layout is only a list, moving a heading to the next page or
 * retrying a keep-together group is a matter of truncating or shifting it.
 *
 * Ownership: a pdf_doc owns everything hanging from it (styles, ops, layouts,
 * images); pdf_doc_free() releases it all. Coordinates are PDF points with the
 * origin at the top-left of the page, as cairo has them. */
#ifndef SHEAF_PDF_H
#define SHEAF_PDF_H

#include <cairo.h>
#include <pango/pangocairo.h>

#include "sheaf.h"

enum { PDF_ALIGN_LEFT, PDF_ALIGN_CENTER, PDF_ALIGN_RIGHT, PDF_ALIGN_JUSTIFY };

typedef struct pdf_style {
  char name[48];
  char family[96];
  double size;    /* points */
  double leading; /* line height as a multiple of size */
  int bold, italic;
  double before, after; /* space above and below a block, points */
  double indent;        /* first-line indent (negative: hanging) */
  double color[3];
  int align;
  int hyphenate; /* Spanish text in it gets soft hyphens (hyphen.h) */
  /* filled by pdf_style_metrics(); pending: not yet, a style of
   * pdf_style_define's, measured when pdf_style_find first finds it */
  double ascent, descent;
  int pending;
} pdf_style;

/* A link inside a run of text: bytes [start, end) of pdf_text.buf. */
typedef struct pdf_link {
  int start, end;
  char *uri;  /* external target, or NULL */
  char *dest; /* internal destination name, or NULL */
} pdf_link;

/* A page reference inside a run of text: bytes [start, end) hold a
 * placeholder that is replaced by the page number of dest when the page
 * count is known (pdf_render.c). */
typedef struct pdf_ref {
  int start, end;
  char *dest;
} pdf_ref;

/* The page references of a layout, kept on it (g_object_set_data_full,
 * key PDF_REFS_KEY) until it is painted. */
typedef struct pdf_refs {
  int n;
  pdf_ref r[];
} pdf_refs;
#define PDF_REFS_KEY "sheaf-page-refs"

/* Text with Pango attributes, built from the model's inlines. */
typedef struct pdf_text {
  char *buf;
  size_t len, cap;
  PangoAttrList *attrs;
  pdf_link *links;
  int nlinks, caplinks;
  pdf_ref *refs;
  int nrefs, caprefs;
  int nurls; /* web addresses given their own breaks (pdf_text_url) */
  /* their bytes, [url_at[2k], url_at[2k + 1]) for the k-th (owned), so
   * that a page break is not put inside one (pdf_place_layout) */
  unsigned *url_at;
  int nbreaks;   /* attributes that only steer line breaking (a word, no
                    inserted hyphen): pdf_layout_new drops them once laid out */
  int hyphenate; /* while set, words of Str inlines get soft hyphens */
} pdf_text;

typedef struct pdf_image {
  int refs;
  cairo_surface_t *surface; /* PNG or JPEG, or NULL */
  void *svg;                /* RsvgHandle *, or NULL */
  cairo_surface_t *mask;    /* a 2-D code: CAIRO_FORMAT_A1, a pixel a module (1 dark), or NULL */
  int nmodules, quiet;      /* modules per side; light modules around them */
  double width, height;     /* natural size in points */
} pdf_image;

typedef enum {
  OP_TAG_BEGIN, /* name, attrs; flags & OPF_STRUCT for structure tags */
  OP_TAG_END,   /* name */
  OP_LINE,      /* layout line `line` with its baseline origin at x, y */
  OP_RECT,      /* x, y, w, h */
  OP_SEG,       /* from x, y to w, h */
  OP_IMAGE,     /* img drawn into x, y, w, h */
  OP_DYN,       /* text template (name) with {page} {pages} {ref:ID}, style, align at x */
  OP_OUTLINE,   /* name: title, attrs: destination, level */
  OP_LINK,      /* attrs: cairo Link attributes with rect */
  OP_FIELD,     /* a form field's widget at x, y, w, h: name its accessible name,
                   level PDF_FIELD_TEXT or PDF_FIELD_CHECK */
  OP_MARK       /* a place in the flow, level its id (d:mark): nothing painted */
} pdf_op_kind;

enum { PDF_FIELD_TEXT = 1, PDF_FIELD_CHECK = 2 };

/* A link area as painted (pdf_render.c), for the finisher to give its
 * annotation a /Contents: rect in PDF user space. */
typedef struct pdf_link_rec {
  int page;
  double x0, y0, x1, y1;
  char *desc; /* "TEXT (page 4)" or "TEXT (example.org/x)", owned */
} pdf_link_rec;

/* A form field as painted (pdf_render.c), for the finisher to make an
 * AcroForm field and widget of: rect in PDF user space (origin bottom left). */
typedef struct pdf_field_rec {
  int page; /* 0-based */
  int kind; /* PDF_FIELD_* */
  double x0, y0, x1, y1;
  char *name; /* accessible name (/TU), owned */
} pdf_field_rec;

enum { OPF_STRUCT = 1, OPF_STROKE = 2, OPF_FILL = 4, OPF_DASH = 8, OPF_DOT = 16 };
/* an OP_LINE painted with the page's running head, outside every structure
 * element (a box's continued line, pdf_box_continues) */
enum { OPF_ARTIFACT = 32 };

typedef struct pdf_op {
  pdf_op_kind kind;
  int page; /* 0-based */
  int flags;
  double x, y, w, h;
  double lw;
  double stroke[3], fill[3];
  char *name, *attrs;
  PangoLayout *layout; /* referenced */
  int line;
  pdf_image *img; /* referenced */
  int level, style, align;
  int lang; /* OP_TAG_BEGIN: its /Lang, d->langs[lang - 1]; 0 for none */
} pdf_op;

#define PDF_SPARE 128   /* layouts kept by pdf_ops_unwind, at most */
#define PDF_RECENT 4096 /* layouts pdf_layout_new made last, shared */

typedef struct pdf_furniture {
  char *tmpl[6]; /* header left, center, right; footer left, center, right */
  int style;
} pdf_furniture;

typedef struct pdf_page {
  int furniture;  /* index into doc->furn, -1 for none */
  double ybottom; /* lowest point reached by content */
  double foot;    /* the boxes' foot (pdf_doc.foot) open when the flow left it */
} pdf_page;

typedef struct pdf_label {
  int op_index; /* insert the label's ops here */
  double x, width;
  char *text; /* NULL for a tick box */
  int box, checked, style;
} pdf_label;

/* An open box that says where it goes on after a page break (d:box's
 * continued): the line, in the title's style, at the top of each of its
 * parts after the first (pdf_box_continues). */
typedef struct pdf_cont {
  char *text;   /* owned; kept for the next box at this depth */
  int style;    /* the box title's */
  int start_op; /* the box's first op */
  double x, w;  /* the box's text column */
  double pad;   /* space above the line */
} pdf_cont;
#define PDF_CONTS 8 /* continued boxes inside one another, at most; deeper ones do not say it */
#define PDF_CONT_MAX 400 /* bytes of a continued line, at most (a longer one is not said) */

/* OP_MARK level of the mark a continued box places where it starts: a
 * heading kept with the box may move it to the next page (pdf_move_tail),
 * and the mark moves with it. Not a d:mark (those are 0 and up). */
#define PDF_MARK_BOX (-2)

/* A layout kept for reuse: list labels repeat ("•", "1.") hundreds of
 * times, and the ops of every label can share one read-only layout. */
typedef struct pdf_cached_layout {
  char *text;
  int style, box;
  double width;
  PangoLayout *layout; /* referenced */
} pdf_cached_layout;

typedef struct pdf_doc {
  double page_w, page_h;
  double mt, mr, mb, ml; /* margins */
  char *meta[8];         /* title, author, subject, keywords, creator, date, lang, mod date */
  int pdfua;             /* claims PDF/UA-1 (XMP pdfuaid:part) and is checked (pdf_check.c) */

  PangoFontMap *fontmap;
  PangoContext *pctx;

  pdf_style *styles;
  int nstyles, capstyles;

  pdf_op *ops;
  int nops, capops;

  pdf_page *pages;
  int npages, cappages;

  pdf_furniture *furn;
  int nfurn, capfurn, cur_furn;

  char **alts; /* alt text of each Figure, in order */
  int nalts, capalts;
  double *boxes; /* each Figure's painted box, 4 numbers (x0 y0 x1 y1, PDF user
                    space) a Figure, in painting order (pdf_render), for its /BBox */
  int nboxes, capboxes;
  char *scopes; /* 'C' or 'R' for each TH painted, in order (pdf_render) */
  int nscopes, capscopes;

  pdf_field_rec *fields; /* filled by pdf_render, in painting order */
  int nfields, capfields;
  pdf_link_rec *links; /* filled by pdf_render, in painting order */
  int nlinks, caplinks;

  char **warned; /* font families already warned about */
  int nwarned;
  char **warnings; /* pdf_warn's messages, until the binding reports them */
  int nwarnings;

  /* flow state */
  int page;
  double y;
  int empty;          /* nothing placed on this page yet */
  double left, right; /* indents from the margins */
  int anchor;         /* op index of headings waiting for what follows, -1 */
  double anchor_y;
  int anchor_empty;
  /* room kept above the bottom margin for the bottom padding of the boxes
   * open here: a box's part on a page it goes on from is framed with its
   * padding under its last line, as its last part is */
  double foot;
  /* keeps (lua_pdf.c) in a first pass that is thrown away and run again if
   * it crosses a page; a keep inside one does not try twice itself */
  int keep_trials;
  /* a keep is trying whether a group near a page tall fits the next page
   * (l_keep): the keeps inside it do not try too */
  int keep_moving;
  pdf_label *labels; /* list labels waiting for their first line */
  int nlabels, caplabels;
  pdf_cached_layout label_cache[32];
  int nlabel_cache;
  /* Images loaded by path, each held once (a reference of its own): a file
   * placed again is the same decoded surface, which cairo also embeds once.
   * Loaded anew at every place, a 6 KB PNG of 49 megapixels cost 195 MB a
   * reference until the document ended. */
  struct pdf_loaded_image {
    char *path;
    pdf_image *img;
  } * images;
  int nimages, capimages;
  /* layouts of ops a keep's, a measure's or the columns' first pass threw
   * away (pdf_ops_unwind), owned, oldest first: the pass that follows
   * makes the same paragraphs again, and pdf_layout_new takes them back
   * instead of shaping the text anew */
  PangoLayout *spare[PDF_SPARE];
  int nspare;
  /* the layouts pdf_layout_new made last, a reference each, by the hash
   * of their text and settings: the same text set the same way again (a
   * table's head, the words beside each QR code, a text measured then
   * placed) shares the one already laid out. Slot i is replaced in turn.
   * Enough for the short texts every article of a long handout repeats
   * (its exercise card's "Reps", "Hold", "1", "2"...) to be laid out once:
   * the placed ones are kept until the pages are painted anyway. Found
   * through recent_head, a chain of slots (+ 1, 0 ends it) per hash value
   * modulo PDF_RECENT, linked by recent_next. */
  PangoLayout *recent[PDF_RECENT];
  unsigned recent_hash[PDF_RECENT];
  int recent_head[PDF_RECENT], recent_next[PDF_RECENT];
  int next_recent;
  int tag_depth;
  /* the continued boxes open now (innermost last); those below cont_floor
   * are not the measured content's (d:measure lays out on a new page of
   * its own); cont_limit >= 0: the ops from there on are moving to the
   * new page (pdf_move_tail) */
  pdf_cont conts[PDF_CONTS];
  int nconts, cont_floor, cont_limit;
  int next_id;
  int spanish; /* the text placed now is Spanish (pdf.new's or d:group's lang) */
  int columns_warned;
  unsigned ops_gen; /* changes whenever ops are added, moved or removed */
  int *mark_at;     /* op index of mark id (page_of), -1; valid at mark_gen */
  int nmark_at;
  unsigned mark_gen;
  /* languages of structure elements (d:group's lang), each once, owned;
   * when there are any, pdf_render lists in elems the TAG_BEGIN op of
   * every structure element it begins, in order, for the finisher */
  char **langs;
  int nlangs;
  int *elems;
  int nelems, capelems;
} pdf_doc;

/* pdf_doc.c */
pdf_doc *pdf_doc_new(double w, double h); /* free with pdf_doc_free */
void pdf_doc_free(pdf_doc *d);
/* The index of the style called name, measured (pdf_style_define), or -1. */
int pdf_style_find(pdf_doc *d, const char *name);
/* The same, left unmeasured: for a caller that reads its settings only. */
int pdf_style_index(const pdf_doc *d, const char *name);
int pdf_style_set(pdf_doc *d, const pdf_style *s); /* measured now; returns its index */
/* pdf_style_set for a style a script may well replace before anything is
 * set in it (pdf.new's defaults): its font is measured (a fontconfig
 * sort, a sample text laid out) only if pdf_style_find finds it first. */
int pdf_style_define(pdf_doc *d, const pdf_style *s);
pdf_op *pdf_op_push(pdf_doc *d, pdf_op_kind kind); /* on the current page */
pdf_op *pdf_op_insert(pdf_doc *d, int index, pdf_op_kind kind);
void pdf_ops_truncate(pdf_doc *d, int nops);
/* pdf_ops_truncate for a pass that will be run again: the layouts only the
 * removed ops held are kept in d->spare for pdf_layout_new. */
void pdf_ops_unwind(pdf_doc *d, int nops);
/* What a layout is made from (pdf_layout_new): the text, its font and
 * pango's settings, and their hash (pdf_recent_*). */
typedef struct pdf_layout_key {
  const pdf_text *t;
  const PangoFontDescription *fd;
  int width, indent;
  PangoAlignment align;
  gboolean justify;
  unsigned hash;
} pdf_layout_key;
/* A kept layout made from k as pdf_layout_new would make it (taken: the
 * caller has its reference), or NULL. */
PangoLayout *pdf_spare_take(pdf_doc *d, const pdf_layout_key *k);
/* One of pdf_doc.recent made from k (a new reference), or NULL; and l,
 * just made from k, listed there. */
PangoLayout *pdf_recent_find(pdf_doc *d, const pdf_layout_key *k);
void pdf_recent_put(pdf_doc *d, const pdf_layout_key *k, PangoLayout *l);
void pdf_tag_begin(pdf_doc *d, const char *name, const char *attrs, int structure);
void pdf_tag_end(pdf_doc *d, const char *name);
/* The next page: one an earlier column already made (pdf_columns.c), else
 * a new one at the end. */
void pdf_new_page(pdf_doc *d);
double pdf_top(const pdf_doc *d);
double pdf_bottom(const pdf_doc *d);
double pdf_content_x(const pdf_doc *d);
double pdf_content_w(const pdf_doc *d);
char *pdf_strdup(const char *s); /* sheaf_strdup */
void pdf_add_alt(pdf_doc *d, const char *alt);
/* Queues a warning in d->warnings; lua_pdf.c hands each to sheaf.warn, so
 * it is printed and counted like every other warning. */
void pdf_warn(pdf_doc *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* pdf_text.c */
void pdf_text_init(pdf_text *t);
void pdf_text_free(pdf_text *t);
void pdf_text_append(pdf_text *t, const char *s, size_t n);
void pdf_text_attr(pdf_text *t, PangoAttribute *a, size_t start); /* ends at t->len */
void pdf_text_link(pdf_text *t, size_t start, const char *target);
/* Bytes [start, t->len) are a web address: breaks only after '/' or
 * before '-', '.' and the like (only after '/' with slash_only: a short
 * address to type, whose "exercise" / "-sheet/" would read as two
 * words), no hyphen inserted, and no page break inside it (pdf_text.c,
 * pdf_flow.c). */
void pdf_text_url(pdf_text *t, size_t start, int slash_only);
/* Bytes [start, t->len) stay on one line (a line may break before them,
 * not inside) unless they are longer than a web address's part (60
 * bytes): a dose ("every day") is not left with a word alone. */
void pdf_text_nowrap(pdf_text *t, size_t start);
/* 1 when bytes [start, t->len) spell web address target, give or take
 * its scheme, "www." and a trailing '/'. */
int pdf_text_is_url(const pdf_text *t, size_t start, const char *target);
/* Cuts t into consecutive pieces of at most max bytes (at a space when one
 * is in a piece's second half), each with its share of the attributes and
 * links: what a paragraph too long to lay out at once is laid out as.
 * Returns the count; *out is a malloc'd array, each piece freed with
 * pdf_text_free, then the array with free. */
size_t pdf_text_split(const pdf_text *t, size_t max, pdf_text **out);
/* The text of link lk (malloc'd): what a reader sees, for its description. */
char *pdf_link_text(const pdf_text *t, const pdf_link *lk);
/* Appends a placeholder for the page number of destination dest. */
void pdf_text_page_ref(pdf_text *t, const char *dest);
void pdf_style_metrics(pdf_doc *d, pdf_style *s);
PangoFontDescription *pdf_style_font(const pdf_style *s); /* caller frees */
/* A layout of t (which it takes attributes from, not ownership) in style s,
 * wrapped at width points. Caller unrefs. */
/* The layout of t in s at width (-1: unwrapped), a new reference. It may
 * be shared with ops already placed (pdf_doc.recent): never changed. */
PangoLayout *pdf_layout_new(pdf_doc *d, const pdf_text *t, const pdf_style *s, double width);
/* pdf_layout_new's layout, made anew and held by no one else: for a caller
 * that changes it (alignment, wrap). */
PangoLayout *pdf_layout_own(pdf_doc *d, const pdf_text *t, const pdf_style *s, double width);
double pdf_line_height(const pdf_style *s);
double pdf_text_width(pdf_doc *d, const char *utf8, const pdf_style *s);

/* pdf_flow.c */
void pdf_begin_block(pdf_doc *d, double first_h, int heading);
void pdf_space(pdf_doc *d, double pt);
/* Places layout lines with widow/orphan control; keep=1 never splits. */
void pdf_place_layout(pdf_doc *d, PangoLayout *l, const pdf_text *t, const pdf_style *s, double x,
                      int keep, const char *dest);
/* keep: PDF_KEEP_WHOLE never splits the paragraph; PDF_KEEP_NEXT also
 * keeps it on the page of the block after it (an introduction to a list),
 * as a heading is; PDF_KEEP_END keeps its end there: all of it (and a
 * heading before it) when it ends on the page it starts on, nothing more
 * when the page's foot splits it (a move never splits a paragraph);
 * PDF_KEEP_SHORT is PDF_KEEP_WHOLE for a paragraph up to a quarter of a
 * page tall (a box's, which then breaks between its paragraphs). */
enum { PDF_KEEP_WHOLE = 1, PDF_KEEP_NEXT = 2, PDF_KEEP_END = 4, PDF_KEEP_SHORT = 8 };
void pdf_paragraph(pdf_doc *d, const pdf_text *t, int style, const char *tag, int keep,
                   const char *dest);
void pdf_heading(pdf_doc *d, int level, const pdf_text *t, int style, const char *id, int outline);
void pdf_rule(pdf_doc *d, double width, double gray);
/* A label and a line to write on; with a name, the line is a text field. */
void pdf_field(pdf_doc *d, const pdf_text *label, int style, double width, const char *name);
/* Pushes a form field op (see OP_FIELD) on the current page. */
void pdf_field_op(pdf_doc *d, int kind, double x, double y, double w, double h, const char *name);
void pdf_toc_entry(pdf_doc *d, const pdf_text *t, int style, const char *dest, double indent);
void pdf_label_push(pdf_doc *d, const char *text, int box, int checked, int style, double width);
/* Draws the border (in colour rgb), fill (grey level gray) and bar of a
 * box placed from start_op on, on every page it covers; on a page it goes
 * on from, the frame's foot is the padding the box and the boxes inside it
 * kept there (pdf_page.foot, less d->foot: the boxes around it). */
void pdf_box_finish(pdf_doc *d, int start_op, int start_page, double start_y, int style_flags,
                    double lw, double gray, double bar, const double rgb[3]);
void pdf_move_tail(pdf_doc *d, int from, double from_y);
/* On a new page inside a continued box that placed something on an earlier
 * page: its continued line at the top, and the cursor under it. */
void pdf_box_continues(pdf_doc *d);

/* The index (1-based) of language code lang in d->langs, added when new. */
int pdf_lang_index(pdf_doc *d, const char *lang);

/* pdf_columns.c: the columns whose ops start at starts[0..ncols) (each
 * running to the next start, the last to d->nops) went from page0 to
 * page1: puts their ops in page order, each page's part of column 1 then of
 * column 2..., ending the structure elements a column has open at the foot
 * of a page and beginning copies of them where it goes on. */
void pdf_columns_interleave(pdf_doc *d, const int *starts, int ncols, int page0, int page1);

/* pdf_table.c */
typedef struct pdf_cell {
  pdf_text text;
  int box;     /* draw this many tick boxes instead of text (0: text) */
  int checked; /* the tick boxes are ticked */
  int field;   /* PDF_FIELD_TEXT: a blank cell that is a text field; tick
                  boxes with a name are check box fields */
  char *name;  /* the field's accessible name, or NULL (owned by the caller) */
  /* with several tick boxes, each box's place in its name: "{k} of {n}"
   * (NULL: that), in the handout's language (owned by the caller) */
  const char *of;
} pdf_cell;
enum { PDF_TABLE_GRID = 1, PDF_TABLE_ROW_HEADERS = 2 };
/* A table's tick boxes: their size and the space between a cell's boxes,
 * in points. */
typedef struct pdf_boxes {
  double size, gap;
} pdf_boxes;
/* Lays out a table of nrows x ncols cells; the first `head` rows repeat after
 * a page break, and a break leaves at least two body rows on each side.
 * widths: fractions of the width (NULL: from content). flags: PDF_TABLE_*
 * (cell borders; the first column's cells are row headers). box: the tick
 * boxes, in and out (NULL: the defaults): the size wanted (0: 0.9 of the
 * body text's) and the gap between a cell's boxes (0: 0.3 of their size),
 * then the size and gap they were given (a smaller size when a cell's
 * boxes do not fit its column on one line; a gap asked stays). Returns 0, or -1 with a static
 * *why (placing nothing) when the table cannot be read on paper: columns
 * narrower than a letter, a row (with the head) taller than a page. *why
 * must be NULL on entry. */
int pdf_table(pdf_doc *d, pdf_cell *cells, int nrows, int ncols, int head, const double *widths,
              int body_style, int head_style, const int *aligns, int flags, const pdf_text *caption,
              int caption_style, pdf_boxes *box, const char **why);
/* The width a column needs for n tick boxes of size sz and gap (0 each:
 * pdf_table's own, from the text's size) on one line, with the padding of
 * a grid's cells (body style bs). */
double pdf_table_boxes_width(int n, double sz, double gap, const pdf_style *bs);

/* pdf_image.c */
pdf_image *pdf_image_load(const char *path, sheaf_err *err); /* NULL on failure */
/* The same from memory: data[0..len) of format "png", "jpeg" or "svg"
 * (name names it in messages). The bytes are not kept (a JPEG's are
 * copied, to be embedded as they are); an SVG passes svg_guard_check and
 * limits.file_mb, a bitmap limits.image_megapixels by its header, as a
 * file does. NULL on failure, with err. */
pdf_image *pdf_image_load_data(const char *name, const unsigned char *data, size_t len,
                               const char *format, sheaf_err *err);
void pdf_image_unref(pdf_image *img);
/* A square of n x n modules (dark[y * n + x] nonzero: dark) with `quiet`
 * light modules around it, each `module` points wide, painted as a 1-bit
 * image mask (a QR code). Copies dark. NULL when n <= 0. */
pdf_image *pdf_image_modules(const unsigned char *dark, int n, int quiet, double module);
void pdf_image_paint(cairo_t *cr, pdf_image *img, double x, double y, double w, double h);
int pdf_image_place(pdf_doc *d, pdf_image *img, double w, double h, int align, const char *alt);

/* Bytes in memory (malloc'd s, the owner frees). */
typedef struct pdf_mem {
  unsigned char *s;
  size_t n, cap;
} pdf_mem;

/* pdf_image.c: the pixel size of the SVG drawing at path, read as the PDF
 * reads it (svg_guard_check, then librsvg on the bytes checked): its width
 * and height, or its viewBox's when it has none; 0 x 0 when neither says.
 * 0, or -1 with err (unreadable, over limits.file_mb, refused by the guard,
 * not SVG). */
int pdf_svg_size(const char *path, int *width, int *height, sheaf_err *err);

/* pdf_image.c: renders SVG text svg[0..n) at width pixels (the height from
 * its aspect) on white, as PNG bytes appended to out. 0, or -1 with err. */
int pdf_svg_to_png(const char *svg, size_t n, int width, pdf_mem *out, sheaf_err *err);

/* pdf_render.c: sets CAIRO_DEBUG_PDF=1 in the process's environment unless
 * it is set already. It is cairo's own switch for writing a PDF surface's
 * streams uncompressed, read each time a surface is made: the finisher
 * (pdf_rewrite.c) reads every page's content stream to mark its artifacts
 * and compresses every stream itself, so cairo's compression would be
 * undone and done again. Call it first thing in main, while the process has
 * one thread: setenv is not safe while another thread may read the
 * environment, and pango's font threads (fontconfig reads its variables)
 * start with the first document. Programs sheaf starts inherit the
 * variable. A cairo without the switch compresses its streams, and the
 * finisher decodes them: the same pages, made more slowly. */
void pdf_env_init(void);

/* pdf_render.c: paints the display list into a PDF in out (appended). */
int pdf_render(pdf_doc *d, pdf_mem *out, sheaf_err *err);

/* pdf_artifact.c: copies content stream in[0..n) to a malloc'd *out (caller
 * frees) with every painting outside marked content wrapped in /Artifact
 * marked content (text: /Type /Pagination, for running headers and footers);
 * *nwrapped counts the wraps. Returns -1 with a static *why when the stream
 * cannot be parsed or wrapped safely; *out is then untouched. */
int pdf_artifact_wrap(const unsigned char *in, size_t n, unsigned char **out, size_t *outlen,
                      int *nwrapped, const char **why);

/* pdf_rewrite.c: the finisher. Reads cairo's PDF in (taking its bytes: in
 * is left empty, so the plain file is not held twice) and writes the
 * finished file into out (replacing what it held; the caller frees out->s):
 * /Lang, alt text, artifacts, the catalog and the rest. 0, or -1 with err
 * set when the input is not a file it can read. */
int pdf_rewrite(pdf_doc *d, pdf_mem *in, pdf_mem *out, sheaf_err *err);

/* pdf_check.c: checks the finished PDF pdf[0..n) against the conditions of
 * the Matterhorn Protocol (PDF/UA-1) that a machine can check and sheaf can
 * break. 0, or -1 with err naming the condition ("PDF/UA-1, Matterhorn
 * 13-004: ..."). */
int pdf_check_ua(const unsigned char *pdf, size_t n, sheaf_err *err);

#endif
