/* notes.h: footnote numbering after a parse, the way sheaf's model numbers
 * them, so that a document written straight from cmark's tree and one
 * written from its element tables get the same bytes, and no note links
 * back to a reference that is not there. */
#ifndef SHEAF_NOTES_H
#define SHEAF_NOTES_H

#include <cmark-gfm.h>

/* Renumbers the footnotes of document doc (from markdown_parse): a note's
 * number is its order of first reference, reading the body and reading each
 * note's own text where it is first referenced (as the model copies a note
 * into its reference); a reference's index counts the references to its
 * note in that order. Definitions nothing reachable refers to are removed
 * (cmark counts references inside definitions it then drops). */
void notes_renumber(cmark_node *doc);

#endif
