/* notes.c: footnote numbering in the model's order (see notes.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmark-gfm/chunk.h>
#include <cmark-gfm/node.h>

#include "sheaf.h"
#include "notes.h"

/* A note and its new number, to be found by the definition's address. */
typedef struct numbered {
  cmark_node *def;
  int number;
} numbered;

static int by_def(const void *a, const void *b) {
  const cmark_node *x = ((const numbered *)a)->def, *y = ((const numbered *)b)->def;
  return x < y ? -1 : x > y;
}

/* The node after n in document order below root, not entering footnote
 * definitions at the top of the document (they are read where referenced). */
static cmark_node *next_node(cmark_node *n, cmark_node *root) {
  if (n->first_child)
    return n->first_child;
  for (; n != root; n = n->parent) {
    cmark_node *next = n->next;
    if (next && !(next->parent && next->parent->type == CMARK_NODE_DOCUMENT &&
                  next->type == CMARK_NODE_FOOTNOTE_DEFINITION))
      return next;
    if (next)
      return NULL; /* the body ends where the definitions start */
  }
  return NULL;
}

void notes_renumber(cmark_node *doc) {
  cmark_node *n, *root = doc, **resume, **order;
  numbered *nums;
  size_t ndefs = 0, nordered = 0, depth = 0;
  if (!doc->last_child || doc->last_child->type != CMARK_NODE_FOOTNOTE_DEFINITION)
    return; /* no notes: the common case costs nothing */
  for (n = doc->last_child; n && n->type == CMARK_NODE_FOOTNOTE_DEFINITION; n = n->prev) {
    n->footnote.def_count = 0;
    ndefs++;
  }
  resume = sheaf_malloc(ndefs * 2 * sizeof *resume);
  order = sheaf_malloc(ndefs * sizeof *order);
  nums = sheaf_malloc(ndefs * sizeof *nums);

  /* the body, and each note's text where it is first referenced; a
   * note's text is read once, so the stack holds at most two entries per
   * note (where to resume, and its bound) */
  n = doc->first_child;
  if (n && n->type == CMARK_NODE_FOOTNOTE_DEFINITION)
    n = NULL;
  for (;;) {
    if (!n) {
      if (depth == 0)
        break;
      root = resume[--depth];
      n = resume[--depth];
      continue;
    }
    if (n->type == CMARK_NODE_FOOTNOTE_REFERENCE && n->parent_footnote_def) {
      cmark_node *def = n->parent_footnote_def;
      n->footnote.ref_ix = ++def->footnote.def_count;
      if (def->footnote.def_count == 1) {
        order[nordered++] = def;
        resume[depth++] = next_node(n, root);
        resume[depth++] = root;
        root = def;
        n = def->first_child;
        continue;
      }
    }
    n = next_node(n, root);
  }

  /* notes nothing reads go; the others follow the body in their order */
  while (doc->last_child && doc->last_child->type == CMARK_NODE_FOOTNOTE_DEFINITION) {
    cmark_node *def = doc->last_child;
    cmark_node_unlink(def);
    if (def->footnote.def_count == 0)
      cmark_node_free(def);
  }
  for (size_t i = 0; i < nordered; i++) {
    cmark_node_append_child(doc, order[i]);
    nums[i].def = order[i];
    nums[i].number = (int)i + 1;
  }
  qsort(nums, nordered, sizeof *nums, by_def);

  /* every reference shows its note's new number */
  for (n = doc->first_child; n;) {
    if (n->type == CMARK_NODE_FOOTNOTE_REFERENCE && n->parent_footnote_def) {
      numbered key = {n->parent_footnote_def, 0}, *found;
      found = bsearch(&key, nums, nordered, sizeof *nums, by_def);
      if (found) {
        char num[16];
        snprintf(num, sizeof num, "%d", found->number);
        cmark_chunk_set_cstr(cmark_node_mem(n), &n->as.literal, num);
      }
    }
    if (n->first_child) {
      n = n->first_child;
      continue;
    }
    while (n && !n->next)
      n = n->parent == doc ? NULL : n->parent;
    if (n)
      n = n->next;
  }
  free(resume);
  free(order);
  free(nums);
}
