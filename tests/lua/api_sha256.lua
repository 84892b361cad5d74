-- api_sha256.lua: sheaf.image.sha256, the hash of every incremental key
-- (site pages, handouts, share cards): the FIPS 180-2 test vectors, and
-- lengths around the 64-byte block and its 56-byte padding edge, each
-- against coreutils' sha256sum.
local t = dofile("tests/lib/t.lua")
local image = require "sheaf.image"

t.test("sha256 gives the FIPS 180-2 digests", function()
  t.eq(image.sha256(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", "empty text")
  t.eq(image.sha256("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", "abc")
  t.eq(image.sha256("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
    "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1", "the 448-bit message")
  t.eq(image.sha256(("a"):rep(1000000)), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0",
    "a million a's")
end)

t.test("sha256 agrees with sha256sum at every length around a block edge", function()
  local path = os.tmpname()
  for _, n in ipairs({ 1, 55, 56, 57, 63, 64, 65, 119, 120, 128, 4099 }) do
    -- every byte value turns up, NUL and high bytes too
    local bytes = {}
    for i = 1, n do bytes[i] = string.char((i * 37) % 256) end
    local text = table.concat(bytes)
    local f = assert(io.open(path, "wb"))
    f:write(text)
    f:close()
    local p = assert(io.popen("sha256sum < " .. path))
    local want = p:read("l"):match("^(%x+)")
    p:close()
    t.eq(image.sha256(text), want, n .. " bytes")
  end
  os.remove(path)
end)

t.test("sha256_join hashes the list joined, as table.concat joins it", function()
  local cases = {
    { {}, nil }, { {}, "\0" }, { { "abc" }, "\0" }, { { "a", "b", "c" }, nil }, { { "a", "", "c" }, "\0" },
    { { "x", 12, 1.5, ("y"):rep(200) }, "\1\2" }, { { ("z"):rep(63), ("w"):rep(65) }, "\0" },
  }
  for i, c in ipairs(cases) do
    t.eq(image.sha256_join(c[1], c[2]), image.sha256(table.concat(c[1], c[2])), "case " .. i)
  end
  local many = {}
  for i = 1, 5000 do many[i] = ("%064x"):format(i) end
  t.eq(image.sha256_join(many, "\0"), image.sha256(table.concat(many, "\0")), "5,000 parts")
  t.raises(function() image.sha256_join({ "a", {} }, "\0") end, "invalid value (at index 2)", "a table in the list")
  t.raises(function() image.sha256_join("abc") end, "table expected", "a string for the list")
end)

t.test("sha256 refuses what is not text", function()
  t.raises(function() image.sha256({}) end, "string expected", "a table")
end)
