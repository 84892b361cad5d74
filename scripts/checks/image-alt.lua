-- image-alt.lua: images without alt text, in the body and in front matter
-- (`image` without `image_alt`). Screen readers read the alt text in place
-- of the image, and the PDF and EPUB carry it too.
return {
  description = "images without alt text",
  document = function(doc, c)
    for _, l in ipairs(c:links(doc)) do
      if l.kind == "image" and not l.text:find("%S") then
        c:warning(l.line, string.format("image '%s' has no alt text", l.url))
      end
    end
    local image = doc.meta.image
    if type(image) == "string" and image ~= "" then
      local alt = doc.meta.image_alt
      if not (type(alt) == "string" and alt:find("%S")) then
        -- a translation showing its source's drawing has no `image:` line:
        -- say where the drawing comes from and where the text goes
        local msg = doc.image_from
          and string.format("image '%s' (the drawing of %s) has no 'image_alt' in this file's front matter",
            image, doc.image_from)
          or string.format("image '%s' has no 'image_alt'", image)
        c:warning(c:meta_line(doc, "image"), msg)
      end
    end
  end,
}
