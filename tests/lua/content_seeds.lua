-- Checks that no run of eight or more consecutive words from the source
-- material (the "seeds", ../shared/seeds/*.txt or $SHEAF_SEEDS) appears in any
-- Markdown file under content/, ignoring case and punctuation.
local sheaf = sheaf or require "sheaf"
local t = dofile("tests/lib/t.lua")
local S = dofile("tests/lib/shingles.lua")
local C = dofile("tests/lib/content.lua")

local N = 8
local seeds_dir = os.getenv("SHEAF_SEEDS") or "../shared/seeds"

local function read(path) return assert(sheaf.fs.read(path)) end

t.test("shingle matcher finds a copied run despite case and punctuation", function()
  local set = S.set("The muscles get over-stretched, and are often weaker than the muscles in front.", N)
  local found = S.shared("Note: THE MUSCLES get over stretched and are often weaker than THE muscles!", set, N)
  t.eq(#found, 1, "number of shared runs")
  t.eq(found[1].phrase, "the muscles get over stretched and are often weaker than the muscles")
  t.eq(#S.shared("The muscles get stretched and often weak.", set, N), 0, "a paraphrase is not a copy")
end)

if sheaf.fs.exists(seeds_dir) ~= "dir" then
  t.skip("content copies no eight-word run from the seeds", "no seeds folder at " .. seeds_dir)
  return
end

local seed_files = {}
for _, rel in ipairs(sheaf.fs.list(seeds_dir)) do
  if rel:match("%.txt$") then seed_files[#seed_files + 1] = seeds_dir .. "/" .. rel end
end

t.test("the seeds folder has source texts", function()
  t.ok(#seed_files > 0, "no .txt files in " .. seeds_dir)
end)

-- One set per seed, so a run never spans the end of one file and the start of the next.
local set = {}
for _, path in ipairs(seed_files) do
  for k in pairs(S.set(read(path), N)) do set[k] = true end
end

for _, rel in ipairs(C.files(nil, true)) do
  t.test("content/" .. rel .. " copies no run of " .. N .. " words from the seeds", function()
    local found = S.shared(read(C.root .. "/" .. rel), set, N)
    if #found > 0 then
      local lines = {}
      for _, m in ipairs(found) do
        lines[#lines + 1] = string.format("content/%s: %d words match the seeds: \"%s\"", rel, m.words, m.phrase)
      end
      error(table.concat(lines, "\n"), 0)
    end
  end)
end
