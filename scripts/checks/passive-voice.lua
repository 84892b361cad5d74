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
      local shown, seen = {}, {}
      for _, l in ipairs(lines) do
        if not seen[l] then seen[l] = true; shown[#shown + 1] = tostring(l) end
      end
      local more = #shown > 8 and ", …" or ""
      for i = #shown, 9, -1 do shown[i] = nil end
      c:warning(lines[1], string.format("passive voice in %d of %d sentences (%.0f%%, over %s%%): line%s %s%s",
        #lines, #sentences, share, max, #shown > 1 and "s" or "", table.concat(shown, ", "), more))
    end
  end,
}
