-- .luacheckrc: luacheck settings for sheaf's Lua (make lint-lua). Lua 5.4;
-- the globals sheaf's runtime sets: SHEAF_HOME (main.c), `sheaf` and `arg`
-- inside `sheaf run` (scripts/sheaf/cli.lua); and Pandoc's filter globals that
-- sheaf sets for every script (scripts/sheaf/pandoc.lua): pandoc, FORMAT,
-- PANDOC_VERSION, PANDOC_API_VERSION, PANDOC_SCRIPT_FILE; and what a project
-- sets for a filter while it runs on a document (scripts/sheaf/project.lua):
-- SHEAF_DOCUMENT, SHEAF_STRINGS.
std = "lua54"
-- lines of code and comments up to 120 characters; a line that is long for
-- a string in it (test data, an error message) is left as written
max_code_line_length = 120
max_comment_line_length = 120
max_string_line_length = false
read_globals = { "SHEAF_HOME", "sheaf", "pandoc", "FORMAT", "PANDOC_VERSION", "PANDOC_API_VERSION",
                 "PANDOC_SCRIPT_FILE", "SHEAF_DOCUMENT", "SHEAF_STRINGS" }
-- the Pandoc filters kept as test fixtures are third-party code, kept as written
exclude_files = { "tests/tmp/**", "out/**", "tests/fixtures/pandoc-filters/**" }
-- a name starting with "_" is unused on purpose (a to-be-closed variable, a
-- parameter kept for a common signature)
ignore = { "21[123]/_.*" }
