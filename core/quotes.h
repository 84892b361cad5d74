/* quotes.h: quotation marks in a document's language. With smart
 * punctuation, cmark-gfm turns typed straight quotes into “…” and ‘…’ while
 * it parses inlines, so it alone knows code spans, escapes, links and
 * emphasis; this module then gives each quotation the marks of its
 * language and nesting level (Spanish: «…“…‘…’…”…»), and leaves curly
 * quotes the author typed as they were typed.
 *
 * Typed and smart marks are the same characters once cmark-gfm has merged
 * its text nodes, so quotes_protect first swaps the typed ones for
 * noncharacters (which content can never hold: the source is checked for
 * them) and quotes_apply swaps them back everywhere in the tree.
 *
 * Ownership: quotes_protect returns a copy the caller frees with free(), or
 * NULL when the text needs none. quotes_apply changes the tree in place. */
#ifndef SHEAF_QUOTES_H
#define SHEAF_QUOTES_H

#include <stdbool.h>
#include <stddef.h>
#include <cmark-gfm.h>

/* The marks of a language: English's (“…”, ‘…’ inside) unless lang is a
 * Spanish code (es, es-MX...), RAE's «…», “…” inside, ‘…’ inside that. */
typedef enum { QUOTES_ENGLISH, QUOTES_SPANISH } quotes_style;

quotes_style quotes_style_of(const char *lang);

/* A copy of text[0..len) with each typed “ ” ‘ ’ replaced by a
 * placeholder of the same length (so lines and columns stay), or NULL when
 * the text has none or references a placeholder's code point itself
 * ("&#xFDD0;"); then typed quotes are treated as cmark's own. */
char *quotes_protect(const char *text, size_t len);

/* Gives the quotations of each block below doc the marks of style by
 * nesting level, and puts back the typed quotes quotes_protect hid (in
 * text, code, raw HTML, link targets and titles, fence info). A smart
 * quote cmark-gfm left unpaired (the inch mark of 5'10") is kept as it
 * is; so is a pair of single quotes that is not inside another quotation
 * (a word's meaning, 'tos'). */
void quotes_apply(cmark_node *doc, quotes_style style, bool protected);

#endif
