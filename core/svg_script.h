/* svg_script.h: whether an SVG file can run a script when a browser opens
 * it. The site (and the EPUB) ship content files as they are, and a visitor
 * who opens /guide/pic.svg runs its scripts with the site's own origin. The
 * check parses the SVG as XML (expat), so that what a browser's XML parser
 * sees is what is judged: <SCRIPT>, <svg:script>, an entity or a character
 * reference that spells "javascript:", an attribute split over lines. It is
 * separate from svg_guard.h, which limits what librsvg draws: a drawing the
 * site only copies may link to the web, and one it draws may not. */
#ifndef SHEAF_SVG_SCRIPT_H
#define SHEAF_SVG_SCRIPT_H

#include <stddef.h>

/* Looks at svg[0..n) for what can run a script: a <script>, <foreignObject>,
 * <iframe>, <frame>, <embed>, <object>, <applet>, <handler> or <listener>
 * element (any case, any namespace prefix), an attribute named on...
 * (onload), an attribute value holding a javascript:, vbscript: or
 * data:text/html URL (spaces and control characters ignored, as browsers
 * do), an <?xml-stylesheet?> instruction (XSLT can write a script). Returns
 * 0 when it found none, 1 when it found one: what[0..what_size) says what
 * ("a <script> element") and *line its line (from 1); -1 when the text is
 * not well-formed XML (a browser shows what comes before the error, so the
 * caller refuses it too), what holding expat's reason. */
int svg_script_find(const char *svg, size_t n, char *what, size_t what_size, int *line);

#endif
