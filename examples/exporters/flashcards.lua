-- flashcards.lua: an example exporter that turns FAQ pages into flashcards
-- that Anki can import: faq.csv with one card per question (a level-2
-- heading) and its answer (the plain text below the heading, up to the next
-- heading of level 2 or less).
--
-- Run it with `sheaf run examples/exporters/flashcards.lua [DOC.md...]`
-- (writes out/flashcards/), or map it in sheaf.yaml
-- (`exporters: { flashcards: examples/exporters/flashcards.lua }`) and run
-- `sheaf build flashcards`. Without arguments it uses every document tagged
-- `faq`, or else every document named faq.md. Copy it and change what you need.
--
-- The CSV follows RFC 4180 (fields with a comma, quote or line break are
-- quoted, quotes doubled, CRLF line ends) and starts with Anki's file
-- headers (#separator, #html, #columns, #tags column, #deck), which Anki 2.1.55
-- and later read and other CSV readers can skip as lines starting with "#".
-- In Anki: File > Import, pick faq.csv; the note type is Basic.
local sheaf = require "sheaf"

local M = {}

-- One CSV field, quoted when it needs to be.
function M.csv_field(s)
  s = tostring(s)
  if s:find('[,"\r\n]') then return '"' .. s:gsub('"', '""') .. '"' end
  return s
end

function M.csv_row(fields)
  local out = {}
  for i, f in ipairs(fields) do out[i] = M.csv_field(f) end
  return table.concat(out, ",") .. "\r\n"
end

-- The documents to make cards from.
local function faq_docs(project, args)
  local docs = {}
  if args and #args > 0 then
    for _, rel in ipairs(args) do
      local doc = project:find(rel)
      if not doc then sheaf.fail(nil, nil, "flashcards: no document '" .. rel .. "' in content/") end
      docs[#docs + 1] = doc
    end
    return docs
  end
  for _, doc in ipairs(project.docs) do
    for _, tag in ipairs(doc.tags) do
      if tag:lower() == "faq" then docs[#docs + 1] = doc break end
    end
  end
  if #docs == 0 then
    for _, doc in ipairs(project.docs) do
      if doc.rel:match("([^/]+)$") == "faq.md" then docs[#docs + 1] = doc end
    end
  end
  return docs
end

-- Plain text of blocks: paragraphs separated by a blank line, list items on
-- their own lines.
local function answer_text(blocks)
  local text = sheaf.write(blocks, "text")
  return (text:gsub("\n\n\n+", "\n\n"):gsub("^%s+", ""):gsub("%s+$", ""))
end

-- The cards of one document: { question=, answer=, line= } in page order.
function M.cards(doc)
  local cards, current = {}, nil
  for _, b in ipairs(doc.blocks) do
    if b.t == "Header" and b.level <= 2 then
      current = nil
      if b.level == 2 then
        current = { question = sheaf.stringify(b.content), blocks = {}, line = b.line }
        cards[#cards + 1] = current
      end
    elseif current then
      current.blocks[#current.blocks + 1] = b
    end
  end
  local out = {}
  for _, c in ipairs(cards) do
    local answer = answer_text(c.blocks)
    if answer == "" then
      sheaf.warn(doc.path, c.line, "flashcards: the question '" .. c.question .. "' has no answer; skipped")
    else
      out[#out + 1] = { question = c.question, answer = answer, line = c.line }
    end
  end
  return out
end

function M.build(project, out, opts)
  local docs = faq_docs(project, opts.args)
  if #docs == 0 then
    sheaf.fail(nil, nil, "flashcards: no FAQ found (tag a document 'faq', or name it on the command line)")
  end
  local tag = sheaf.slugify(project.title)
  local rows = {
    "#separator:comma\r\n", "#html:false\r\n", "#columns:Question,Answer,Tags\r\n",
    "#tags column:3\r\n", "#deck:" .. project.title:gsub("[\r\n]", " ") .. "\r\n",
  }
  local count = 0
  for _, doc in ipairs(docs) do
    for _, card in ipairs(M.cards(doc)) do
      rows[#rows + 1] = M.csv_row { card.question, card.answer, tag .. " " .. (doc.slug or "faq") }
      count = count + 1
    end
  end
  out:write("faq.csv", table.concat(rows))
  return { files = 1, cards = count }
end

return M
