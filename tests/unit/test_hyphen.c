/* test_hyphen.c: Spanish syllables and hyphenation points (hyphen.c), on
 * real words, each against the division the RAE gives. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "hyphen.h"

/* word with '-' at each of its n cuts (byte offsets, ascending; a static
 * buffer). */
static const char *join_cuts(const char *word, const size_t *cuts, size_t n) {
  static char out[256];
  size_t len = strlen(word), at = 0, o = 0;
  for (size_t i = 0; i <= n; i++) {
    size_t end = i < n ? cuts[i] : len;
    memcpy(out + o, word + at, end - at);
    o += end - at;
    if (i < n)
      out[o++] = '-';
    at = end;
  }
  out[o] = '\0';
  return out;
}

/* word with '-' between its syllables. */
static const char *syllables(const char *word) {
  size_t cuts[64], n = hyphen_es_syllables(word, strlen(word), cuts, 64);
  return join_cuts(word, cuts, n);
}

/* word with '-' at each place it may be broken at a line's end. */
static const char *points(const char *word) {
  size_t cuts[64], n = hyphen_es_points(word, strlen(word), cuts, 64);
  return join_cuts(word, cuts, n);
}

/* text with soft hyphens shown as '-' (a static buffer); "(none)" when
 * hyphen_es_text inserts none. */
static const char *soft(const char *text) {
  static char out[512];
  size_t n, o = 0;
  char *h = hyphen_es_text(text, strlen(text), &n);
  if (!h)
    return "(none)";
  for (size_t i = 0; i < n; i++) {
    if ((unsigned char)h[i] == 0xC2 && i + 1 < n && (unsigned char)h[i + 1] == 0xAD) {
      out[o++] = '-';
      i++;
    } else
      out[o++] = h[i];
  }
  out[o] = '\0';
  free(h);
  return out;
}

int main(void) {
  static const char *words[][2] = {
      {"ejercicio", "e-jer-ci-cio"},
      {"hombro", "hom-bro"},
      {"respiración", "res-pi-ra-ción"},
      {"contraer", "con-tra-er"},
      {"músculo", "mús-cu-lo"},
      {"ahí", "a-hí"},
      {"transporte", "trans-por-te"},
      {"subrayar", "sub-ra-yar"},
      {"cigüeña", "ci-güe-ña"},
      {"guerra", "gue-rra"},
      {"quieto", "quie-to"},
      {"chocolate", "cho-co-la-te"},
      {"calle", "ca-lle"},
      {"país", "pa-ís"},
      {"río", "rí-o"},
      {"ciudad", "ciu-dad"},
      {"instrumento", "ins-tru-men-to"},
      {"obstruir", "obs-truir"},
      {"hoy", "hoy"},
      {"estiramiento", "es-ti-ra-mien-to"},
      {"cuello", "cue-llo"},
      {"hielo", "hie-lo"},
      {"ahora", "a-ho-ra"},
      {"leer", "le-er"},
      {"aéreo", "a-é-re-o"},
      {"inflamación", "in-fla-ma-ción"},
      {"columna", "co-lum-na"},
      {"espalda", "es-pal-da"},
      {"fisioterapeuta", "fi-sio-te-ra-peu-ta"},
      {"acción", "ac-ción"},
      {"atleta", "a-tle-ta"},
      {"desayuno", "de-sa-yu-no"},
      {"Ibuprofeno", "I-bu-pro-fe-no"},
      {"paraguas", "pa-ra-guas"},
  };
  char name[128];
  for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
    snprintf(name, sizeof name, "syllables of %s: %s", words[i][0], words[i][1]);
    CHECK_STR(syllables(words[i][0]), words[i][1], name);
  }
  CHECK_INT(hyphen_es_syllables("café3", 6, NULL, 0), 0, "a word with a digit has no syllables");
  CHECK_INT(hyphen_es_syllables("façade", 7, NULL, 0), 0, "nor one with a letter Spanish lacks");

  /* break points: 2 letters before, 3 after, never between vowels, none
   * in a word under 7 letters */
  CHECK_STR(points("ejercicio"), "ejer-ci-cio", "ejercicio breaks after 2+ letters, not e-");
  CHECK_STR(points("respiración"), "res-pi-ra-ción", "respiración at every syllable");
  CHECK_STR(points("contraer"), "con-traer", "contraer: never between the vowels of a hiatus");
  CHECK_STR(points("transporte"), "trans-porte", "transporte: -te is too short to carry over");
  CHECK_STR(points("hombro"), "hombro", "a 6-letter word stays whole");
  CHECK_STR(points("músculo"), "mús-culo", "músculo: mús-culo only");
  CHECK_STR(points("subrayar"), "sub-ra-yar", "subrayar keeps its prefix");
  CHECK_STR(points("cigüeña"), "ci-güeña", "cigüeña");
  CHECK_STR(points("MedlinePlus"), "MedlinePlus", "a capital inside a word: a name, left whole");

  CHECK_STR(soft("La respiración, «estiramiento» y ejercicio."),
            "La res-pi-ra-ción, «es-ti-ra-miento» y ejer-ci-cio.",
            "running text: punctuation around a word is not part of it");
  CHECK_STR(soft("Visite medlineplus.gov/spanish o llame al 555-0142 (extensión)."),
            "Visite medlineplus.gov/spanish o llame al 555-0142 (ex-ten-sión).",
            "addresses, numbers and compounds stay whole");
  CHECK_STR(soft("casa mesa"), "(none)", "text with no long word gets nothing");
  CHECK_STR(soft("respi\xC2\xAD"
                 "ración respiración"),
            "(none)", "an author's own soft hyphens: the text is left as it is");
  HARNESS_EXIT();
}
