/* test_textstats.c: sentences, words and syllables (textstats.c), which the
 * reading-grade checks of `sheaf check` are computed from. */
#include <string.h>

#include "harness.h"
#include "textstats.h"

static int syl(const char *w, textstats_lang lang) {
  return textstats_syllables(w, strlen(w), lang);
}

static void syllables_are(const char *const *words, const int *want, textstats_lang lang,
                          const char *what) {
  char name[128];
  for (int i = 0; words[i]; i++) {
    snprintf(name, sizeof name, "%s: %s has %d syllables", what, words[i], want[i]);
    CHECK_INT(syl(words[i], lang), want[i], name);
  }
}

/* The sentences of s, as "[text]" pieces joined, and their total words. */
static void sentences(const char *s, const char *want, int want_words, const char *name) {
  char got[1024] = "";
  size_t pos = 0, len = strlen(s);
  int words = 0;
  textstats_sentence st;
  while (textstats_next_sentence(s, len, &pos, TEXTSTATS_EN, &st)) {
    size_t n = strlen(got);
    snprintf(got + n, sizeof got - n, "[%.*s]", (int)(st.end - st.start), s + st.start);
    words += st.words;
  }
  CHECK_STR(got, want, name);
  CHECK_INT(words, want_words, name);
}

static void words(const char *s, const char *want, const char *name) {
  char got[512] = "";
  size_t pos = 0, start, end, len = strlen(s);
  while (textstats_next_word(s, len, &pos, &start, &end)) {
    size_t n = strlen(got);
    snprintf(got + n, sizeof got - n, "%s%.*s", n ? "|" : "", (int)(end - start), s + start);
  }
  CHECK_STR(got, want, name);
}

int main(void) {
  static const char *const en[] = {
      "the",        "back",      "muscle", "shoulder", "stretches", "relaxes",
      "ligament",   "vertebrae", "injury", "likely",   "stiffness", "tightened",
      "pharmacist", "table",     "whole",  "makes",    "boxes",     "jumped",
      "wanted",     "radio",     "people", "Ice",      "spasms",    "anti-inflammatory",
      NULL};
  static const int en_want[] = {1, 1, 2, 2, 2, 3, 3, 3, 3, 2, 2, 2,
                                3, 2, 1, 1, 2, 1, 2, 3, 2, 1, 2, 7};
  syllables_are(en, en_want, TEXTSTATS_EN, "English");

  static const char *const es[] = {"ciudad",      "leer",     "día",   "país",        "que",
                                   "guerra",      "pingüino", "hoy",   "muy",         "mayo",
                                   "buey",        "aéreo",    "caoba", "músculo",     "espalda",
                                   "inflamación", "ayuda",    "huevo", "tratamiento", NULL};
  static const int es_want[] = {2, 2, 2, 2, 1, 2, 3, 1, 1, 2, 1, 4, 3, 3, 3, 4, 3, 2, 4};
  syllables_are(es, es_want, TEXTSTATS_ES, "Spanish");

  CHECK_INT(syl("20", TEXTSTATS_EN), 2, "a number of two digits reads as two syllables");
  CHECK_INT(syl("3", TEXTSTATS_EN), 1, "a single digit reads as one syllable");
  CHECK_INT(syl("...", TEXTSTATS_EN), 0, "punctuation has no syllables");
  CHECK_INT(syl("Straße", TEXTSTATS_OTHER), 2, "other languages count vowel groups");

  words("It's a well-known fact: 1,000 people… ¿Qué pasa?",
        "It's|a|well-known|fact|1,000|people|Qué|pasa",
        "apostrophes, hyphens and digit groups stay inside words; ¿ and … do not");
  words("don’t stop - now 1.5 h.", "don’t|stop|now|1.5|h",
        "a curly apostrophe joins, a lone dash does not");
  words("", "", "no text has no words");
  words("e.g. the U.S.A. end.Next", "e.g|the|U.S.A|end|Next",
        "full stops between single letters join an abbreviation, not two words");

  sentences("Rest your back. Use ice!", "[Rest your back.][Use ice!]", 5,
            "end marks end sentences");
  sentences("Use a cold pack, e.g. frozen peas. Then rest.",
            "[Use a cold pack, e.g. frozen peas.][Then rest.]", 9,
            "e.g. followed by a word does not end a sentence");
  sentences("Ask Dr. Lee. She knows.", "[Ask Dr. Lee.][She knows.]", 5,
            "a full stop after Dr does not end a sentence");
  sentences("He said \"Stop.\" Then he left.", "[He said \"Stop.\"][Then he left.]", 6,
            "closing quotes belong to the sentence they end");
  sentences("It hurts (a lot.) Rest now", "[It hurts (a lot.)][Rest now]", 6,
            "a closing bracket after the mark, and a last sentence without a mark");
  sentences("Take 1.5 tablets. Wait… then rest.", "[Take 1.5 tablets.][Wait… then rest.]", 6,
            "a decimal point and an ellipsis before a lower-case word do not end sentences");
  sentences("First line\nsame sentence\n\nNew paragraph",
            "[First line\nsame sentence][New paragraph]", 6,
            "a blank line ends a sentence, a single newline does not");
  sentences("  ...  ", "", 0, "no words, no sentences");
  sentences("Why?!  Because.", "[Why?!][Because.]", 2, "a run of end marks is one end");

  /* the counts of one sentence */
  {
    const char *s = "The physiotherapist recommended gentle stretches.";
    size_t pos = 0;
    textstats_sentence st;
    CHECK(textstats_next_sentence(s, strlen(s), &pos, TEXTSTATS_EN, &st), "one sentence found");
    CHECK_INT(st.words, 5, "its words");
    CHECK_INT(st.syllables, 1 + 6 + 4 + 2 + 2, "its syllables");
    CHECK_INT(st.polysyllables, 2, "its words of three syllables or more");
    CHECK_INT(st.letters, 44, "its letters");
  }

  CHECK_INT(textstats_lang_of("en-US"), TEXTSTATS_EN, "en-US is English");
  CHECK_INT(textstats_lang_of("es"), TEXTSTATS_ES, "es is Spanish");
  CHECK_INT(textstats_lang_of("est"), TEXTSTATS_OTHER, "est is not Spanish");
  CHECK_INT(textstats_lang_of(NULL), TEXTSTATS_OTHER, "no tag is another language");
  HARNESS_EXIT();
}
