-- spec_examples.lua: the examples of the CommonMark spec (tests/conformance/
-- spec.txt, from the npm package commonmark-spec) followed by sheaf's own
-- examples of the GFM extensions and of unsafe content
-- (tests/conformance/gfm-examples.txt), for the tests that run them all
-- (conformance.lua, pandoc_json.lua, api_markdown.lua).
--
-- Returns a list of { md =, html =, section =, number = }: md is the
-- Markdown with a line end after it (none when it is empty) and each →
-- the tab it stands for; html is the output the spec gives (its → kept);
-- section the heading the example is under; number its place in the list.

local function read(path) return assert(sheaf.fs.read(path)) end

return function()
  local spec = read("tests/conformance/spec.txt"):gsub("\r\n?", "\n")
  spec = spec:gsub("\n<!%-%- END TESTS %-%->.*$", "\n") .. "\n" .. read("tests/conformance/gfm-examples.txt")
  local fence, out, section, pos = string.rep("`", 32), {}, "", 1
  for line_start, line in spec:gmatch("()([^\n]*)\n") do
    if line_start >= pos then
      section = line:match("^#+ +(.*)$") or section
      if line == fence .. " example" then
        local body_start = line_start + #line + 1
        local stop = spec:find("\n" .. fence .. "\n", body_start - 1, true)
        local body = spec:sub(body_start, stop)
        local md, html = body:match("^(.-)\n?%.\n(.*)$")
        if body:sub(1, 2) == ".\n" then md, html = "", body:sub(3) end
        md = md or ""
        out[#out + 1] = { md = (md .. (md ~= "" and "\n" or "")):gsub("→", "\t"), html = html or "",
                          section = section, number = #out + 1 }
        pos = stop + #fence + 2
      end
    end
  end
  return out
end
