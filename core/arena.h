/* arena.h: the memory cmark-gfm parses and renders Markdown sources in. A
 * parse makes thousands of small blocks that all die together when the tree
 * is freed; a bump allocator that is emptied once no tree is alive costs a
 * pointer add per block instead of a malloc and a free. */
#ifndef SHEAF_ARENA_H
#define SHEAF_ARENA_H

#include <cmark-gfm.h>

/* The allocator to give cmark_parser_new_with_mem. Each tree parsed with it
 * must be counted with arena_tree_born and released with arena_tree_free
 * (not cmark_node_free alone): the arena is emptied when the count of live
 * trees drops to zero, so nested parses (a links function that writes
 * another document) are safe. Everything cmark allocates for such a tree,
 * including the string cmark_render_html returns, stays valid until then;
 * the free function of this allocator does nothing. arena_tree_free frees
 * no node one by one, so a tree of the arena holds no other memory (sheaf's
 * own attributes on its nodes are arena memory: markdown.h). Not
 * thread-safe. */
cmark_mem *arena_mem(void);
void arena_tree_born(void);
void arena_tree_free(cmark_node *doc);

/* True when mem is arena_mem(). */
int arena_owns(const cmark_mem *mem);

#endif
