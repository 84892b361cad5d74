-- passive-voice.lua: the share of sentences in the passive voice ("is
-- caused by", "was told"), by the rule of the document's language
-- (scripts/readability/<lang>.lua's passive), against check.passive_max
-- percent (default 10).
return {
  description = "share of sentences in the passive voice (check.passive_max, percent)",
  document = function(doc, c)
    local lang = c:language(doc)
    if not (lang and lang.passive) then return end
    local sentences = c:sentences(doc)
    if #sentences == 0 then return end
    local lines = {}
    for _, s in ipairs(sentences) do
      if lang.passive(s.text) then lines[#lines + 1] = s.line end
    end
    local share = 100 * #lines / #sentences
    c:score("passive", "Passive voice (% of sentences)", share)
    local max = tonumber(c.config.passive_max) or 10
    if share > max then
      local shown = {}
      for i = 1, math.min(#lines, 8) do shown[i] = tostring(lines[i]) end
      c:warning(lines[1], string.format("passive voice in %d of %d sentences (%.0f%%, over %s%%): line%s %s%s",
        #lines, #sentences, share, max, #lines > 1 and "s" or "", table.concat(shown, ", "),
        #lines > 8 and ", …" or ""))
    end
  end,
}
