-- headings.lua: heading levels that skip one (## then ####), counting the
-- page title as the level-1 heading: screen-reader users move by headings
-- and a skipped level looks like a missing section.
return {
  description = "heading levels that skip",
  document = function(doc, c)
    local prev = doc.meta.title and 1 or 0
    for _, u in ipairs(c:units(doc)) do
      if u.kind == "heading" then
        if prev > 0 and u.level > prev + 1 then
          c:warning(u.line, string.format("heading level %d follows level %d (use %s)", u.level, prev,
            ("#"):rep(prev + 1)))
        end
        prev = u.level
      end
    end
  end,
}
