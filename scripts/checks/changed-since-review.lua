-- changed-since-review.lua: a page whose text is no longer what its
-- clinical review approved. `sheaf check --mark-reviewed FILE` records the
-- reviewed text's hash as review_hash: in its front matter
-- (sheaf.governance.review_hash: its words and every front-matter field
-- but those that record the review); a page whose text hashes otherwise
-- now was changed after its review, and its "Reviewed" line claims a
-- review of words no reviewer read. A page without review_hash: is not
-- checked.
local governance = require "sheaf.governance"

return {
  description = "a page changed since its clinical review approved it (review_hash:)",
  document = function(doc, c)
    local st = governance.review_state(doc)
    if not st or not st.changed then return end
    local reviewed = doc.meta.reviewed and (" on " .. tostring(doc.meta.reviewed)) or ""
    c:warning(c:meta_line(doc, "review_hash"), string.format(
      "changed since its review%s (review_hash: %s, now %s): have it reviewed again, then update "
        .. "'reviewed' and run `sheaf check --mark-reviewed %s`", reviewed, st.marked, st.now, doc.path))
  end,
}
