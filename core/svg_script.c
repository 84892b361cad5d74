/* svg_script.c: whether an SVG can run a script (see svg_script.h), judged
 * on the elements, attributes and instructions expat reports, entities and
 * character references already replaced. */
#include <expat.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "svg_script.h"

typedef struct {
  XML_Parser p;
  char *what;
  size_t what_size;
  int line;
} scan;

/* The name after its namespace prefix: "svg:script" -> "script". */
static const char *local_name(const char *name) {
  const char *colon = strrchr(name, ':');
  return colon ? colon + 1 : name;
}

static void found(scan *s, const char *fmt, const char *a, const char *b) {
  if (s->line)
    return;
  snprintf(s->what, s->what_size, fmt, a, b);
  s->line = (int)XML_GetCurrentLineNumber(s->p);
  if (s->line < 1)
    s->line = 1;
  XML_StopParser(s->p, XML_FALSE);
}

/* Whether attribute value v names a URL that runs script when followed:
 * browsers drop spaces and control characters from URLs first (so
 * "java&#9;script:" is one), and a value may hold a list (values="a;b"). */
static const char *script_url(const char *v) {
  static const char *const schemes[] = {"javascript:", "vbscript:", "data:text/html"};
  char flat[64];
  size_t k = 0;
  for (; *v; v++) {
    if ((unsigned char)*v <= 0x20)
      continue;
    if (k == sizeof flat - 1) { /* slide: keep the last bytes, which may start a scheme */
      memmove(flat, flat + 32, k - 32);
      k -= 32;
    }
    flat[k++] = *v;
    flat[k] = 0;
    for (size_t i = 0; i < sizeof schemes / sizeof *schemes; i++) {
      size_t m = strlen(schemes[i]);
      if (k >= m && strncasecmp(flat + k - m, schemes[i], m) == 0)
        return schemes[i];
    }
  }
  return NULL;
}

static void XMLCALL on_start(void *user, const XML_Char *name, const XML_Char **atts) {
  static const char *const carriers[] = {"script", "foreignObject", "iframe",  "frame",   "embed",
                                         "object", "applet",        "handler", "listener"};
  scan *s = user;
  const char *local = local_name(name);
  for (size_t i = 0; i < sizeof carriers / sizeof *carriers; i++)
    if (strcasecmp(local, carriers[i]) == 0) {
      found(s, "a <%s> element", name, NULL);
      return;
    }
  for (size_t i = 0; atts[i]; i += 2) {
    const char *an = local_name(atts[i]), *url;
    if (strncasecmp(an, "on", 2) == 0) {
      found(s, "an %s attribute", atts[i], NULL);
      return;
    }
    if ((url = script_url(atts[i + 1])) != NULL) {
      found(s, "a %s URL in %s", url, atts[i]);
      return;
    }
  }
}

static void XMLCALL on_pi(void *user, const XML_Char *target, const XML_Char *data) {
  (void)data;
  if (strcasecmp(target, "xml-stylesheet") == 0)
    found(user, "an <?%s?> instruction (a stylesheet can write a script)", target, NULL);
}

int svg_script_find(const char *svg, size_t n, char *what, size_t what_size, int *line) {
  scan s = {.what = what, .what_size = what_size, .line = 0};
  if (what_size)
    what[0] = 0;
  *line = 0;
  s.p = XML_ParserCreate(NULL);
  if (!s.p) {
    snprintf(what, what_size, "out of memory");
    return -1;
  }
  XML_SetUserData(s.p, &s);
  XML_SetStartElementHandler(s.p, on_start);
  XML_SetProcessingInstructionHandler(s.p, on_pi);
  int rc = 0;
  /* (expat takes an int length: a file of 2 GB or more is not an SVG) */
  if (n > 0x7fffffff) {
    snprintf(what, what_size, "the file is too large");
    rc = -1;
  } else if (XML_Parse(s.p, svg, (int)n, XML_TRUE) == XML_STATUS_ERROR && !s.line) {
    snprintf(what, what_size, "%s", XML_ErrorString(XML_GetErrorCode(s.p)));
    *line = (int)XML_GetCurrentLineNumber(s.p);
    rc = -1;
  }
  if (s.line) {
    *line = s.line;
    rc = 1;
  }
  XML_ParserFree(s.p);
  return rc;
}
