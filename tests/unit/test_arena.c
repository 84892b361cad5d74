/* test_arena.c: the arena cmark parses into (arena.c): blocks are zeroed
 * and keep their bytes when grown, the newest grows in place, nested trees
 * keep each other alive, parsed trees render as with malloc, and a request
 * no memory can meet ends the process cleanly instead of handing cmark a
 * NULL it would not check. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmark-gfm/node.h>

#include "arena.h"
#include "harness.h"
#include "markdown.h"

int main(void) {
  cmark_mem *mem = arena_mem();
  markdown_opts mo = {false, false, NULL};
  unsigned char *p, *q;
  cmark_node *a, *b;
  char *html;
  int zero = 1;

  arena_tree_born(); /* as a parse would: keeps what follows alive */
  p = mem->calloc(100, 3);
  for (int i = 0; i < 300; i++)
    if (p[i])
      zero = 0;
  CHECK(zero, "calloc gives zeroed bytes");
  memset(p, 5, 300);
  q = mem->realloc(p, 4000);
  CHECK(q == p, "the newest block grows where it is");
  CHECK(q[299] == 5, "and keeps its bytes");
  p = mem->calloc(1, 16);
  q = mem->realloc(q, 9000);
  CHECK(q != p && q[0] == 5 && q[299] == 5, "an older block moves, with its bytes");
  q = mem->realloc(NULL, 10);
  CHECK(q != NULL, "realloc of NULL allocates");
  p = mem->calloc(1, (size_t)1 << 21);
  CHECK(p != NULL && p[((size_t)1 << 21) - 1] == 0, "a block bigger than a chunk gets its own");
  arena_tree_free(NULL);

  a = markdown_parse("# One\n\n| a |\n|---|\n| 1 |\n", 24, &mo);
  b = markdown_parse("Two *x*[^1]\n\n[^1]: note\n", 24, &mo);
  CHECK(a && b, "two trees parse");
  arena_tree_free(a); /* b must stay whole */
  html = cmark_render_html(b, markdown_cmark_options(&mo), markdown_extensions()->list);
  CHECK(strstr(html, "<em>x</em>") && strstr(html, "footnotes"),
        "a tree outlives another's release");
  markdown_free_rendered(b, html);
  markdown_free(b);
  a = markdown_parse("# Again\n", 8, &mo);
  html = cmark_render_html(a, markdown_cmark_options(&mo), markdown_extensions()->list);
  CHECK_STR(html, "<h1>Again</h1>\n", "the emptied arena is used again");
  markdown_free(a);

  /* a tree's nodes are not freed one by one: sheaf's attributes on them
   * must be arena memory too; on a tree of cmark's allocator, freed with
   * the node */
  a = markdown_parse("# Id\n", 5, &mo);
  markdown_set_attrs(a->first_child, " id=\"x\"", 7);
  markdown_claim_heading(a->first_child);
  CHECK(a->first_child->user_data_free_func == NULL, "attributes in a parsed tree: arena memory");
  html = cmark_render_html(a, markdown_cmark_options(&mo), markdown_extensions()->list);
  CHECK_STR(html, "<h1 id=\"x\">Id</h1>\n", "and written");
  markdown_free(a);
  b = cmark_node_new(CMARK_NODE_HEADING);
  markdown_set_attrs(b, " id=\"y\"", 7);
  CHECK(b->user_data_free_func != NULL, "attributes on a node of malloc: freed with it");
  cmark_node_free(b);

  /* in a child: the message on stderr, status 1, no crash */
  int fds[2];
  char msg[64] = "";
  if (pipe(fds) == 0) {
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
      dup2(fds[1], 2);
      arena_tree_born();
      unsigned char *huge = mem->calloc(SIZE_MAX / 8, 8);
      _exit(huge ? huge[0] + 2 : 3); /* not reached */
    }
    close(fds[1]);
    ssize_t got = read(fds[0], msg, sizeof msg - 1);
    msg[got > 0 ? got : 0] = '\0';
    close(fds[0]);
    int status = 0;
    waitpid(pid, &status, 0);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 1,
          "an impossible request exits with status 1 (not a crash)");
    CHECK_STR(msg, "sheaf: out of memory\n", "and says it is out of memory");
  }
  HARNESS_EXIT();
}
