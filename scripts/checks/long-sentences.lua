-- long-sentences.lua: sentences longer than check.sentence_words_max words
-- (default 25) in running prose: plain-language guides ask for 15 to 20 on
-- average and few over 25.
return {
  description = "sentences over 25 words (check.sentence_words_max)",
  document = function(doc, c)
    local max = tonumber(c.config.sentence_words_max) or 25
    for _, s in ipairs(c:sentences(doc)) do
      if s.words > max then
        local start = s.text:gsub("%s+", " "):match("^(" .. ("%S+%s"):rep(5) .. ")") or s.text
        c:warning(s.line, string.format('sentence of %d words (over %d): "%s…"', s.words, max, start:gsub("%s$", "")))
      end
    end
  end,
}
