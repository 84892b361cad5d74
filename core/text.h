/* text.h: plain text from a cmark-gfm tree, for summaries, search indexes and
 * word counts: no markup; blocks separated by a blank line; list items one to
 * a line, nested ones indented (up to 8 levels); table cells separated by a
 * tab; footnotes written after the body.
 *
 * text_render returns a malloc'd NUL-terminated string the caller frees. */
#ifndef SHEAF_TEXT_H
#define SHEAF_TEXT_H

#include <cmark-gfm.h>

char *text_render(cmark_node *root);

#endif
